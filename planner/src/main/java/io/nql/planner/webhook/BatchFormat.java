package io.nql.planner.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

/**
 * How a batch of rows is written in a request body. Both encodings are deterministic: the same rows
 * give the same bytes, so a retried batch is byte for byte the batch first sent.
 *
 * <p>Values: numbers as numbers (a decimal in plain notation; a float that is not finite as the
 * string {@code NaN}, {@code Infinity} or {@code -Infinity}), booleans, dates, times and timestamps
 * in ISO-8601 ({@code 2026-12-07}, {@code 10:15:30}, {@code 2026-12-07T10:15:30}, with {@code Z}
 * for a timestamp with time zone, in UTC), binary as base64, NULL as JSON null or an empty CSV
 * field (an empty string is {@code ""} in CSV).
 */
public enum BatchFormat {
  /** One JSON object per row and line, keys the column names, in column order. */
  NDJSON("ndjson", "application/x-ndjson") {
    @Override
    void write(List<Types.NestedField> columns, List<Record> rows, ByteArrayOutputStream out)
        throws IOException {
      for (Record r : rows) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
          g.writeStartObject();
          for (int i = 0; i < columns.size(); i++) {
            g.writeFieldName(columns.get(i).name());
            json(g, r.get(i));
          }
          g.writeEndObject();
        }
        out.write('\n');
      }
    }
  },
  /** RFC 4180: a header line of the column names, then one line per row, CRLF line ends. */
  CSV("csv", "text/csv; charset=utf-8; header=present") {
    @Override
    void write(List<Types.NestedField> columns, List<Record> rows, ByteArrayOutputStream out)
        throws IOException {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < columns.size(); i++) {
        b.append(i == 0 ? "" : ",").append(csv(columns.get(i).name()));
      }
      b.append("\r\n");
      for (Record r : rows) {
        for (int i = 0; i < columns.size(); i++) {
          String text = text(r.get(i));
          b.append(i == 0 ? "" : ",").append(text == null ? "" : csv(text));
        }
        b.append("\r\n");
      }
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }
  };

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET)
          .build();

  private final String option;
  private final String contentType;

  BatchFormat(String option, String contentType) {
    this.option = option;
    this.contentType = contentType;
  }

  /** The format named {@code 'ndjson'} or {@code 'csv'} in {@code FORMAT = …}. */
  public static BatchFormat of(String option) {
    for (BatchFormat f : values()) {
      if (f.option.equals(option.toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    throw new IllegalArgumentException("'" + option + "'; expected 'ndjson' or 'csv'");
  }

  /** Its name in {@code FORMAT = …}. */
  public String option() {
    return option;
  }

  /** The request's {@code Content-Type}. */
  public String contentType() {
    return contentType;
  }

  /** The body of a request carrying {@code rows}, whose fields are {@code columns} in order. */
  public byte[] encode(List<Types.NestedField> columns, List<Record> rows) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(columns, rows, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writes to memory: not expected
    }
    return out.toByteArray();
  }

  abstract void write(List<Types.NestedField> columns, List<Record> rows, ByteArrayOutputStream out)
      throws IOException;

  /**
   * A non-null field: quoted when empty (an empty field is NULL), when it holds a comma, quote or
   * line break, or when it starts or ends with a space (which readers may trim).
   */
  private static String csv(String text) {
    boolean quote =
        text.isEmpty()
            || text.charAt(0) == ' '
            || text.charAt(text.length() - 1) == ' '
            || text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n');
    return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
  }

  private static void json(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Integer || v instanceof Long) {
      g.writeNumber(((Number) v).longValue());
    } else if ((v instanceof Double || v instanceof Float)
        && Double.isFinite(((Number) v).doubleValue())) {
      if (v instanceof Float f) {
        g.writeNumber(f);
      } else {
        g.writeNumber((Double) v);
      }
    } else if (v instanceof BigDecimal d) {
      g.writeNumber(d.toPlainString());
    } else {
      g.writeString(text(v));
    }
  }

  /** A value as CSV text or as a JSON string; null for NULL. */
  private static String text(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof ByteBuffer buf) {
      ByteBuffer copy = buf.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (v instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (v instanceof java.time.OffsetDateTime t) {
      return t.withOffsetSameInstant(java.time.ZoneOffset.UTC).toString();
    }
    return v.toString();
  }
}
