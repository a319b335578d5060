package io.nql.server.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.engine.StatementWarning;
import io.nql.planner.result.ResultColumn;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Prints a statement result: {@code table} aligned for people, {@code csv} (RFC 4180, header row,
 * NULL as an empty field), or {@code json} (one object per row, NULL as null).
 */
final class ResultPrinter {
  /** Output formats of {@code nql sql}. */
  enum Format {
    table,
    csv,
    json
  }

  /** A timestamp with milliseconds, or microseconds when it has them. */
  private static final DateTimeFormatter TS =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .appendFraction(ChronoField.NANO_OF_SECOND, 3, 6, true)
          .toFormatter(Locale.ROOT);

  /** An instant (TIMESTAMP WITH TIME ZONE) as {@link #TS} with its offset, which is UTC's. */
  private static final DateTimeFormatter TS_TZ =
      new DateTimeFormatterBuilder().append(TS).appendOffset("+HH:MM", "+00:00").toFormatter();

  private ResultPrinter() {}

  static void print(StatementResult r, Format format, PrintWriter out, PrintWriter err) {
    if (!r.isQuery()) {
      out.println(r.updateCount() == 1 ? "OK, 1 row" : "OK, " + r.updateCount() + " rows");
    } else {
      switch (format) {
        case table -> table(r, out);
        case csv -> csv(r, out);
        case json -> json(r, out);
      }
    }
    out.flush();
    for (StatementWarning w : r.warnings()) {
      err.println("WARNING " + w.sqlState() + ": " + w.message());
    }
    err.flush();
  }

  static String text(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof LocalDateTime t) {
      return TS.format(t);
    }
    if (v instanceof OffsetDateTime t) {
      return TS_TZ.format(t);
    }
    if (v instanceof byte[] b) {
      return HexFormat.of().formatHex(b);
    }
    return v.toString();
  }

  private static void table(StatementResult r, PrintWriter out) {
    List<ResultColumn> cols = r.columns();
    List<String> names = new ArrayList<>();
    boolean[] right = new boolean[cols.size()];
    for (int i = 0; i < cols.size(); i++) {
      names.add(cols.get(i).name());
      right[i] = isNumeric(cols.get(i).jdbcType());
    }
    TextTable.Rows<RuntimeException> rows = () -> texts(r.next());
    out.println(rowCount(TextTable.print(names, right, rows, TextTable.UNLIMITED, out)));
  }

  /** {@code (1 row)}, {@code (3 rows)}. */
  static String rowCount(long count) {
    return count == 1 ? "(1 row)" : "(" + count + " rows)";
  }

  /** Whether a {@link java.sql.Types} code is numeric (drawn right-aligned). */
  static boolean isNumeric(int jdbcType) {
    return switch (jdbcType) {
      case java.sql.Types.TINYINT,
          java.sql.Types.SMALLINT,
          java.sql.Types.INTEGER,
          java.sql.Types.BIGINT,
          java.sql.Types.REAL,
          java.sql.Types.FLOAT,
          java.sql.Types.DOUBLE,
          java.sql.Types.DECIMAL,
          java.sql.Types.NUMERIC ->
          true;
      default -> false;
    };
  }

  /** The texts of a row's values ({@link #text}), or null after the last row. */
  static String[] texts(Object[] row) {
    if (row == null) {
      return null;
    }
    String[] cells = new String[row.length];
    for (int i = 0; i < row.length; i++) {
      cells[i] = text(row[i]);
    }
    return cells;
  }

  private static void csv(StatementResult r, PrintWriter out) {
    List<ResultColumn> cols = r.columns();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cols.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(csvField(cols.get(i).name()));
    }
    out.print(sb.append("\r\n"));
    Object[] row;
    while ((row = r.next()) != null) {
      sb.setLength(0);
      for (int i = 0; i < row.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        String t = text(row[i]);
        if (t != null) {
          sb.append(t.isEmpty() ? "\"\"" : csvField(t));
        }
      }
      out.print(sb.append("\r\n"));
    }
  }

  private static String csvField(String s) {
    if (s.indexOf(',') >= 0
        || s.indexOf('"') >= 0
        || s.indexOf('\n') >= 0
        || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  private static void json(StatementResult r, PrintWriter out) {
    List<ResultColumn> cols = r.columns();
    try {
      JsonFactory factory = new JsonFactory();
      Object[] row;
      while ((row = r.next()) != null) {
        java.io.StringWriter sw = new java.io.StringWriter();
        try (JsonGenerator g = factory.createGenerator(sw)) {
          g.writeStartObject();
          for (int i = 0; i < row.length; i++) {
            g.writeFieldName(cols.get(i).name());
            Object v = row[i];
            if (v == null) {
              g.writeNull();
            } else if (v instanceof Boolean b) {
              g.writeBoolean(b);
            } else if (v instanceof Integer || v instanceof Long) {
              g.writeNumber(((Number) v).longValue());
            } else if (v instanceof BigDecimal d) {
              g.writeNumber(d);
            } else if (v instanceof Double || v instanceof Float) {
              g.writeNumber(((Number) v).doubleValue());
            } else {
              g.writeString(text(v));
            }
          }
          g.writeEndObject();
        }
        out.println(sw);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
