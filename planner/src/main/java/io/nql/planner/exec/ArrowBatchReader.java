package io.nql.planner.exec;

import io.nql.planner.result.ResultColumn;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads a result as Arrow batches: loaded straight from a vectorized result, or written from its
 * rows ({@link #ofRows}). Types: BOOLEAN bool, TINYINT/SMALLINT/INTEGER int8/16/32, BIGINT int64,
 * REAL float32, DOUBLE float64, DECIMAL(p,s) decimal128(p,s), DATE date32, TIME time32(ms),
 * TIMESTAMP timestamp(us) without zone (a wall clock), TIMESTAMP WITH LOCAL TIME ZONE (JDBC's
 * TIMESTAMP_WITH_TIMEZONE) timestamp(us, tz=UTC) (an instant), CHAR/VARCHAR utf8, BINARY/VARBINARY
 * binary; anything else utf8 of its text. Closing the reader closes the source.
 */
public final class ArrowBatchReader extends ArrowReader {
  /** Loads the next batch into the root; returns its rows, 0 at the end. */
  public interface Loader {
    int load(VectorSchemaRoot root, BufferAllocator allocator, int batchRows);
  }

  /** The zone of Arrow timestamps that are instants. */
  public static final String UTC = "UTC";

  private final List<ResultColumn> columns;
  private final Loader loader;
  private final Runnable onClose;
  private final int batchRows;
  private long bytes;

  /**
   * A reader of batches of at most {@code batchRows} rows, typed by {@code columns}.
   *
   * @param loader fills each batch (e.g. {@link QueryResult#loadBatch})
   * @param onClose called once when the reader closes
   */
  public ArrowBatchReader(
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

  /**
   * A reader of rows, converted into batches of at most {@code batchRows} rows.
   *
   * @param next the next row in external types (see {@link QueryResult#next()}), or null at the end
   * @param onClose called once when the reader closes
   */
  public static ArrowBatchReader ofRows(
      List<ResultColumn> columns,
      Supplier<Object[]> next,
      Runnable onClose,
      BufferAllocator allocator,
      int batchRows) {
    return new ArrowBatchReader(
        columns, (root, a, max) -> writeRows(root, next, max), onClose, allocator, batchRows);
  }

  private static int writeRows(VectorSchemaRoot root, Supplier<Object[]> next, int max) {
    List<FieldVector> vectors = root.getFieldVectors();
    for (FieldVector v : vectors) {
      v.clear();
      v.allocateNew();
    }
    int n = 0;
    Object[] row;
    while (n < max && (row = next.get()) != null) {
      for (int i = 0; i < row.length; i++) {
        ArrowValues.set(vectors.get(i), n, row[i]);
      }
      n++;
    }
    for (FieldVector v : vectors) {
      v.setValueCount(n);
    }
    return n;
  }

  /** The Arrow schema of a result's columns. */
  public static Schema schema(List<ResultColumn> columns) {
    List<Field> fields = new ArrayList<>();
    for (ResultColumn c : columns) {
      fields.add(new Field(c.name(), new FieldType(c.nullable(), arrowType(c), null), null));
    }
    return new Schema(fields);
  }

  private static ArrowType arrowType(ResultColumn c) {
    return switch (c.jdbcType()) {
      case Types.BOOLEAN -> ArrowType.Bool.INSTANCE;
      case Types.TINYINT -> new ArrowType.Int(8, true);
      case Types.SMALLINT -> new ArrowType.Int(16, true);
      case Types.INTEGER -> new ArrowType.Int(32, true);
      case Types.BIGINT -> new ArrowType.Int(64, true);
      case Types.REAL -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case Types.FLOAT, Types.DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case Types.DECIMAL -> new ArrowType.Decimal(c.precision(), c.scale(), 128);
      case Types.DATE -> new ArrowType.Date(DateUnit.DAY);
      case Types.TIME -> new ArrowType.Time(TimeUnit.MILLISECOND, 32);
      case Types.TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
      case Types.TIMESTAMP_WITH_TIMEZONE -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, UTC);
      case Types.BINARY, Types.VARBINARY -> ArrowType.Binary.INSTANCE;
      default -> ArrowType.Utf8.INSTANCE;
    };
  }

  @Override
  public boolean loadNextBatch() throws java.io.IOException {
    prepareLoadNextBatch();
    VectorSchemaRoot root = getVectorSchemaRoot();
    int n = loader.load(root, allocator, batchRows);
    root.setRowCount(n);
    for (FieldVector v : root.getFieldVectors()) {
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
    return schema(columns);
  }
}
