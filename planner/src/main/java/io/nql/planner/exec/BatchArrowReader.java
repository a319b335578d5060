package io.nql.planner.exec;

import io.nql.planner.result.ResultColumn;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow batches loaded straight from a vectorized result (no row conversion), with the schema of
 * {@link ArrowBatchReader#schema}. Closing the reader closes the source.
 */
public final class BatchArrowReader extends ArrowReader {
  /** Loads the next batch into the root; returns its rows, 0 at the end. */
  public interface Loader {
    int load(VectorSchemaRoot root, BufferAllocator allocator, int batchRows);
  }

  private final List<ResultColumn> columns;
  private final Loader loader;
  private final Runnable onClose;
  private final int batchRows;
  private long bytes;

  /**
   * @param loader fills each batch (e.g. {@link QueryResult#loadBatch})
   * @param onClose called once when the reader closes
   */
  public BatchArrowReader(
      List<ResultColumn> columns,
      Loader loader,
      Runnable onClose,
      BufferAllocator allocator,
      int batchRows) {
    super(allocator);
    if (batchRows <= 0) {
      throw new IllegalArgumentException("batchRows must be positive");
    }
    this.columns = List.copyOf(columns);
    this.loader = loader;
    this.onClose = onClose;
    this.batchRows = batchRows;
  }

  @Override
  public boolean loadNextBatch() throws java.io.IOException {
    prepareLoadNextBatch();
    VectorSchemaRoot root = getVectorSchemaRoot();
    int n = loader.load(root, allocator, batchRows);
    root.setRowCount(n);
    for (var v : root.getFieldVectors()) {
      bytes += v.getBufferSize();
    }
    return n > 0;
  }

  @Override
  public long bytesRead() {
    return bytes;
  }

  @Override
  protected void closeReadSource() {
    onClose.run();
  }

  @Override
  protected Schema readSchema() {
    return ArrowBatchReader.schema(columns);
  }
}
