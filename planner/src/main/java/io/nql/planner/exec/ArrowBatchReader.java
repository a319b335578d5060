package io.nql.planner.exec;

import io.nql.planner.result.ResultColumn;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads a {@link QueryResult} as Arrow batches. Types: BOOLEAN bool, TINYINT/SMALLINT/INTEGER
 * int8/16/32, BIGINT int64, REAL float32, DOUBLE float64, DECIMAL(p,s) decimal128(p,s), DATE
 * date32, TIME time32(ms), TIMESTAMP timestamp(us) without zone (a wall clock), TIMESTAMP WITH
 * LOCAL TIME ZONE (JDBC's TIMESTAMP_WITH_TIMEZONE) timestamp(us, tz=UTC) (an instant), CHAR/VARCHAR
 * utf8, BINARY/VARBINARY binary; anything else utf8 of its text.
 */
public final class ArrowBatchReader extends ArrowReader {
  /** Where the rows come from: {@code next()} returns the next row or null at the end. */
  public interface RowSource extends AutoCloseable {
    /** The next row in external types (see {@link QueryResult#next()}), or null at the end. */
    Object[] next();

    @Override
    void close();
  }

  /** The zone of Arrow timestamps that are instants. */
  public static final String UTC = "UTC";

  private final List<ResultColumn> columns;
  private final RowSource rows;
  private final int batchSize;
  private long bytes;

  /**
   * A reader of the rows of {@code rows}, typed by {@code columns}, in batches of at most {@code
   * batchSize} rows. Closing the reader closes the source.
   */
  public ArrowBatchReader(
      List<ResultColumn> columns, RowSource rows, BufferAllocator allocator, int batchSize) {
    super(allocator);
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be positive");
    }
    this.columns = List.copyOf(columns);
    this.rows = rows;
    this.batchSize = batchSize;
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
    List<FieldVector> vectors = getVectorSchemaRoot().getFieldVectors();
    for (FieldVector v : vectors) {
      v.clear();
      v.allocateNew();
    }
    int n = 0;
    Object[] row;
    while (n < batchSize && (row = rows.next()) != null) {
      for (int i = 0; i < row.length; i++) {
        ArrowValues.set(vectors.get(i), n, row[i]);
      }
      n++;
    }
    for (FieldVector v : vectors) {
      v.setValueCount(n);
      bytes += v.getBufferSize();
    }
    getVectorSchemaRoot().setRowCount(n);
    return n > 0;
  }

  @Override
  public long bytesRead() {
    return bytes;
  }

  @Override
  protected void closeReadSource() {
    rows.close();
  }

  @Override
  protected Schema readSchema() {
    return schema(columns);
  }
}
