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
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

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

  /** Rows buffered to size the table's columns; later rows reuse the widths. */
  private static final int TABLE_SAMPLE_ROWS = 1000;

  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");

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
    if (v instanceof byte[] b) {
      return HexFormat.of().formatHex(b);
    }
    return v.toString();
  }

  private static void table(StatementResult r, PrintWriter out) {
    List<ResultColumn> cols = r.columns();
    int n = cols.size();
    int[] width = new int[n];
    boolean[] right = new boolean[n];
    for (int i = 0; i < n; i++) {
      width[i] = cols.get(i).name().length();
      right[i] = isNumeric(cols.get(i).jdbcType());
    }
    List<String[]> sample = new ArrayList<>();
    Object[] row;
    while (sample.size() < TABLE_SAMPLE_ROWS && (row = r.next()) != null) {
      String[] cells = cells(row);
      for (int i = 0; i < n; i++) {
        width[i] = Math.max(width[i], cells[i].codePointCount(0, cells[i].length()));
      }
      sample.add(cells);
    }
    String[] header = new String[n];
    for (int i = 0; i < n; i++) {
      header[i] = cols.get(i).name();
    }
    StringBuilder rule = new StringBuilder("+");
    for (int w : width) {
      rule.append("-".repeat(w + 2)).append('+');
    }
    out.println(rule);
    out.println(line(header, width, new boolean[n]));
    out.println(rule);
    long count = 0;
    for (String[] cells : sample) {
      out.println(line(cells, width, right));
      count++;
    }
    while ((row = r.next()) != null) {
      out.println(line(cells(row), width, right));
      count++;
    }
    out.println(rule);
    out.println(count == 1 ? "(1 row)" : "(" + count + " rows)");
  }

  private static boolean isNumeric(int jdbcType) {
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

  private static String[] cells(Object[] row) {
    String[] cells = new String[row.length];
    for (int i = 0; i < row.length; i++) {
      String t = text(row[i]);
      cells[i] = t == null ? "NULL" : t.replace("\n", "\\n");
    }
    return cells;
  }

  private static String line(String[] cells, int[] width, boolean[] right) {
    StringBuilder sb = new StringBuilder("|");
    for (int i = 0; i < cells.length; i++) {
      String c = cells[i];
      int pad = Math.max(0, width[i] - c.codePointCount(0, c.length()));
      sb.append(' ');
      if (right[i]) {
        sb.append(" ".repeat(pad)).append(c);
      } else {
        sb.append(c).append(" ".repeat(pad));
      }
      sb.append(" |");
    }
    return sb.toString();
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
