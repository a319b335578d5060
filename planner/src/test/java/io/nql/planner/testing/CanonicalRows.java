package io.nql.planner.testing;

import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows as comparable text, from the engine or from an oracle database over JDBC (DuckDB): one text
 * form per value, independent of each side's Java types.
 */
public final class CanonicalRows {
  private CanonicalRows() {}

  /** The rows of a statement run in an engine session. */
  public static List<String> engine(NqlSession session, String sql) {
    List<String> rows = new ArrayList<>();
    try (StatementResult r = session.execute(sql)) {
      for (Object[] row; (row = r.next()) != null; ) {
        StringBuilder sb = new StringBuilder();
        for (Object v : row) {
          sb.append(canonical(v)).append(" | ");
        }
        rows.add(sb.toString());
      }
    }
    return rows;
  }

  /** The rows of a query run on a JDBC connection (the oracle). */
  public static List<String> jdbc(Connection connection, String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object v = rs.getObject(i);
          if (v instanceof java.sql.Timestamp) {
            v = rs.getObject(i, LocalDateTime.class);
          } else if (v instanceof java.sql.Date) {
            v = rs.getObject(i, LocalDate.class);
          }
          sb.append(canonical(v)).append(" | ");
        }
        rows.add(sb.toString());
      }
    }
    return rows;
  }

  /**
   * One text form per value: numbers without trailing zeros, doubles to 6 decimals, UTC times,
   * binary as {@code X'hex'}.
   */
  public static String canonical(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof Float || v instanceof Double) {
      double d = ((Number) v).doubleValue();
      return new BigDecimal(d)
          .setScale(6, RoundingMode.HALF_EVEN)
          .stripTrailingZeros()
          .toPlainString();
    }
    if (v instanceof BigDecimal || v instanceof Number) {
      return new BigDecimal(v.toString()).stripTrailingZeros().toPlainString();
    }
    if (v instanceof OffsetDateTime t) {
      return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime().toString();
    }
    if (v instanceof LocalDateTime || v instanceof LocalDate || v instanceof LocalTime) {
      return v.toString();
    }
    if (v instanceof java.sql.Timestamp t) {
      return t.toLocalDateTime().toString();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (v instanceof byte[] b) {
      return "X'" + java.util.HexFormat.of().formatHex(b) + "'";
    }
    return v.toString();
  }
}
