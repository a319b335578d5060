package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.export.ExportRows;
import io.nql.planner.result.ResultColumn;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The rows of a query being exported, as Iceberg generic values of a schema derived from its result
 * columns (every column optional). The query must run to its end: rows a budget cut off would make
 * a partial file, so their end is then an error and nothing is written.
 */
final class QueryRows implements ExportRows {
  private final StatementResult result;
  private final Schema schema;
  private final Type[] types;

  /**
   * @param result the query's rows, owned from now on (closed by {@link #close()})
   * @throws NqlException {@link ErrorCode#NOT_SUPPORTED} for a column type no export writes, {@link
   *     ErrorCode#DUPLICATE_COLUMN} for two columns of one name
   */
  QueryRows(StatementResult result) {
    this.result = result;
    try {
      this.schema = schema(result.columns());
    } catch (RuntimeException e) {
      result.close();
      throw e;
    }
    this.types = schema.columns().stream().map(f -> f.type()).toArray(Type[]::new);
  }

  private static Schema schema(List<ResultColumn> columns) {
    List<org.apache.iceberg.types.Types.NestedField> fields = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int id = 1;
    for (ResultColumn c : columns) {
      if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
        throw NqlException.of(
            ErrorCode.DUPLICATE_COLUMN,
            "Cannot export the query: it returns two columns named %s; give them distinct names"
                + " with AS",
            c.name());
      }
      fields.add(org.apache.iceberg.types.Types.NestedField.optional(id++, c.name(), type(c)));
    }
    return new Schema(fields);
  }

  /** The Iceberg type of a result column, as {@code CREATE MATERIALIZED VIEW} types its columns. */
  private static Type type(ResultColumn c) {
    return switch (c.jdbcType()) {
      case Types.BOOLEAN -> org.apache.iceberg.types.Types.BooleanType.get();
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER ->
          org.apache.iceberg.types.Types.IntegerType.get();
      case Types.BIGINT -> org.apache.iceberg.types.Types.LongType.get();
      case Types.REAL -> org.apache.iceberg.types.Types.FloatType.get();
      case Types.FLOAT, Types.DOUBLE -> org.apache.iceberg.types.Types.DoubleType.get();
      case Types.DECIMAL, Types.NUMERIC -> {
        if (c.precision() < 1 || c.precision() > DatasetTypes.MAX_DECIMAL_PRECISION) {
          throw unsupported(c);
        }
        yield org.apache.iceberg.types.Types.DecimalType.of(c.precision(), c.scale());
      }
      case Types.CHAR, Types.VARCHAR -> org.apache.iceberg.types.Types.StringType.get();
      case Types.BINARY, Types.VARBINARY -> org.apache.iceberg.types.Types.BinaryType.get();
      case Types.DATE -> org.apache.iceberg.types.Types.DateType.get();
      case Types.TIME -> org.apache.iceberg.types.Types.TimeType.get();
      case Types.TIMESTAMP -> org.apache.iceberg.types.Types.TimestampType.withoutZone();
      case Types.TIMESTAMP_WITH_TIMEZONE -> org.apache.iceberg.types.Types.TimestampType.withZone();
      default -> throw unsupported(c);
    };
  }

  private static NqlException unsupported(ResultColumn c) {
    return NqlException.of(
        ErrorCode.NOT_SUPPORTED,
        "Cannot export the query: column '%s' has type %s, which exports do not support",
        c.name(),
        c.typeName());
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public Object @Nullable [] next() {
    Object[] row = result.next();
    if (row == null) {
      if (result.charge().budgetCut()) {
        throw NqlException.of(
            ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
            "Cannot export the query: the budget stopped it after %d rows bought through access"
                + " rules; nothing was written (raise budget_usd)",
            result.charge().rows());
      }
      return null;
    }
    for (int i = 0; i < types.length; i++) {
      row[i] = value(row[i], types[i], i);
    }
    return row;
  }

  /** A result value as the Iceberg generic value of its column's type. */
  private Object value(Object v, Type type, int column) {
    if (v == null) {
      return null;
    }
    return switch (type.typeId()) {
      case INTEGER -> ((Number) v).intValue();
      case BINARY -> v instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : v;
      case STRING -> v.toString();
      case DECIMAL -> {
        var d = (org.apache.iceberg.types.Types.DecimalType) type;
        BigDecimal exact = ((BigDecimal) v).setScale(d.scale(), RoundingMode.HALF_UP);
        if (exact.precision() > d.precision()) {
          throw NqlException.of(
              ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE,
              "Cannot export the query: column '%s': %s is out of range for DECIMAL(%d, %d)",
              schema.columns().get(column).name(),
              v,
              d.precision(),
              d.scale());
        }
        yield exact;
      }
      default -> v;
    };
  }

  @Override
  public long expected() {
    return -1;
  }

  @Override
  public void close() {
    result.close();
  }
}
