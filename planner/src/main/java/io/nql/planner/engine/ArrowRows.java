package io.nql.planner.engine;

import io.nql.planner.exec.ArrowBatchReader;
import io.nql.planner.result.ResultColumn;
import java.util.List;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** Arrow schemas and batches of engine results, for the front ends that send Arrow. */
public final class ArrowRows {
  private ArrowRows() {}

  /** The Arrow schema of a result with these columns. */
  public static Schema schema(List<ResultColumn> columns) {
    return ArrowBatchReader.schema(columns);
  }

  /**
   * Arrow batches of at most {@code batchRows} rows over rows produced by {@code next} (null at the
   * end); closing the reader runs {@code close}.
   */
  public static ArrowReader reader(
      List<ResultColumn> columns,
      Supplier<Object[]> next,
      Runnable close,
      BufferAllocator allocator,
      int batchRows) {
    return ArrowBatchReader.ofRows(columns, next, close, allocator, batchRows);
  }
}
