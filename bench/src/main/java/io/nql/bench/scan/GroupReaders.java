package io.nql.bench.scan;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Reads the aggregate scenario's groups ({@code country, label, count, sum, min, max}) into {@link
 * GroupSums}, from Arrow batches or from JDBC. A sum that does not arrive as a decimal, or a
 * maximum that is not a timestamp, stops the run: the comparison would otherwise hide it.
 */
final class GroupReaders {
  private GroupReaders() {}

  /** Adds the groups of one Arrow batch. */
  static void add(VectorSchemaRoot root, GroupSums groups) {
    FieldVector country = root.getVector(0);
    FieldVector label = root.getVector(1);
    BaseIntVector count = integers(root.getVector(2));
    FieldVector sum = root.getVector(3);
    BaseIntVector min = integers(root.getVector(4));
    FieldVector max = root.getVector(5);
    if (!(sum instanceof DecimalVector || sum instanceof Decimal256Vector)) {
      throw new IllegalStateException(
          "SUM(amount) arrived as " + sum.getField().getType() + ", not as a decimal");
    }
    if (!(max instanceof TimeStampVector ts)) {
      throw new IllegalStateException(
          "MAX(event_ts) arrived as " + max.getField().getType() + ", not as a timestamp");
    }
    TimeUnit unit = unit((ArrowType.Timestamp) ts.getField().getType());
    for (int i = 0; i < root.getRowCount(); i++) {
      groups.add(
          text(country, i),
          text(label, i),
          count.getValueAsLong(i),
          sum.isNull(i) ? null : (BigDecimal) sum.getObject(i),
          min.getValueAsLong(i),
          unit.toMicros(ts.get(i)));
    }
  }

  private static BaseIntVector integers(FieldVector v) {
    if (v instanceof BaseIntVector i) {
      return i;
    }
    throw new IllegalStateException(
        v.getField().getName() + " arrived as " + v.getField().getType() + ", not an integer");
  }

  private static String text(FieldVector v, int i) {
    if (v instanceof VarCharVector s) {
      return new String(s.get(i), StandardCharsets.UTF_8);
    }
    return String.valueOf(v.getObject(i));
  }

  /** The unit of an Arrow timestamp type, for turning its values into microseconds. */
  static TimeUnit unit(ArrowType.Timestamp type) {
    return switch (type.getUnit()) {
      case SECOND -> TimeUnit.SECONDS;
      case MILLISECOND -> TimeUnit.MILLISECONDS;
      case MICROSECOND -> TimeUnit.MICROSECONDS;
      case NANOSECOND -> TimeUnit.NANOSECONDS;
    };
  }

  /** Adds every group of a JDBC result, each value read with its natural getter. */
  static void add(ResultSet rs, GroupSums groups) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int sumType = md.getColumnType(4);
    if (sumType != Types.DECIMAL && sumType != Types.NUMERIC) {
      throw new IllegalStateException(
          "SUM(amount) arrived as " + md.getColumnTypeName(4) + ", not as a decimal");
    }
    while (rs.next()) {
      Timestamp max = rs.getTimestamp(6);
      groups.add(
          rs.getString(1),
          rs.getString(2),
          rs.getLong(3),
          rs.getBigDecimal(4),
          rs.getLong(5),
          Math.floorDiv(max.getTime(), 1000) * 1_000_000L + max.getNanos() / 1000);
    }
  }
}
