package io.nql.bench.scan;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Reads every value of a benchmark result into a {@link Checksum}: from Arrow, or from JDBC. */
final class Readers {
  private Readers() {}

  /**
   * Adds one Arrow batch of (id, user_id, amount, country, label, event_ts), reading the vectors
   * directly as a columnar client does.
   */
  static void add(VectorSchemaRoot root, Checksum c) {
    int n = root.getRowCount();
    BigIntVector id = (BigIntVector) root.getVector(0);
    IntVector userId = (IntVector) root.getVector(1);
    DecimalVector amount = (DecimalVector) root.getVector(2);
    FieldVector country = root.getVector(3);
    FieldVector label = root.getVector(4);
    TimeStampVector ts = (TimeStampVector) root.getVector(5);
    if (amount.getScale() != 2) {
      throw new IllegalStateException("amount has scale " + amount.getScale() + ", expected 2");
    }
    for (int i = 0; i < n; i++) {
      c.ids += id.get(i);
      c.userIds += userId.get(i);
      if (amount.isNull(i)) {
        c.nullAmounts++;
      } else {
        // The low 64 bits of the little-endian 128-bit unscaled value: exact below 2^63.
        c.amountCents += amount.getDataBuffer().getLong((long) i * DecimalVector.TYPE_WIDTH);
      }
      c.timestampMicros += ts.get(i);
    }
    c.stringBytes += textBytes(country, n) + textBytes(label, n);
    c.rows += n;
  }

  private static long textBytes(FieldVector v, int n) {
    if (n == 0) {
      return 0;
    }
    if (v instanceof VarCharVector s) {
      return (long) s.getEndOffset(n - 1) - s.getStartOffset(0);
    }
    long total = 0;
    for (int i = 0; i < n; i++) {
      Object o = v.getObject(i);
      total += o == null ? 0 : o.toString().length();
    }
    return total;
  }

  /** Adds every row of a JDBC result, each value read with its natural getter. */
  static void add(ResultSet rs, Checksum c) throws SQLException {
    while (rs.next()) {
      c.ids += rs.getLong(1);
      c.userIds += rs.getInt(2);
      BigDecimal amount = rs.getBigDecimal(3);
      if (amount == null) {
        c.nullAmounts++;
      } else {
        c.amountCents += amount.setScale(2).unscaledValue().longValueExact();
      }
      c.stringBytes += rs.getString(4).length() + rs.getString(5).length();
      Timestamp ts = rs.getTimestamp(6);
      c.timestampMicros += Math.floorDiv(ts.getTime(), 1000) * 1_000_000L + ts.getNanos() / 1000;
      c.rows++;
    }
  }
}
