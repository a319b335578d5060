package io.nql.planner.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * RFC 4180 CSV in UTF-8 without a byte-order mark: fields separated by commas, records ended by
 * CRLF, a field quoted with {@code "} when it holds a comma, a quote, a CR or an LF (a quote inside
 * doubled), or when it is the empty string. NULL is an empty field without quotes, so NULL ({@code
 * a,,b}) and the empty string ({@code a,"",b}) stay apart, as {@code COPY INTO} and PostgreSQL's
 * {@code COPY … CSV} read them.
 *
 * <p>Values: BOOLEAN {@code true}/{@code false}; integers in decimal; REAL and DOUBLE as Java
 * prints them ({@code 1.5}, {@code 1.0E10}, {@code NaN}, {@code Infinity}); DECIMAL exactly, in
 * plain notation with the column's scale ({@code 12.50}); DATE {@code 2026-01-31}; TIME {@code
 * 13:45:00[.fraction]}; TIMESTAMP {@code 2026-01-31T13:45:00[.fraction]} (ISO-8601, no zone);
 * TIMESTAMPTZ the same in UTC with {@code Z}; the fraction has as many digits as it needs, up to
 * six (microseconds); UUID in its canonical form; binary as {@code \x} followed by lower-case hex
 * (PostgreSQL's {@code bytea} hex format).
 */
final class CsvRowWriter implements RowWriter {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final Writer out;
  private final List<Types.NestedField> columns;

  CsvRowWriter(OutputStream stream, Schema schema, boolean header) throws IOException {
    this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    this.columns = schema.columns();
    if (header) {
      for (int i = 0; i < columns.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        field(columns.get(i).name());
      }
      out.write("\r\n");
    }
  }

  @Override
  public void write(Object[] row) throws IOException {
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      Object value = row[i];
      if (value != null) {
        field(text(value, columns.get(i).type()));
      }
    }
    out.write("\r\n");
  }

  private void field(String text) throws IOException {
    if (!needsQuotes(text)) {
      out.write(text);
      return;
    }
    out.write('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        out.write('"');
      }
      out.write(c);
    }
    out.write('"');
  }

  private static boolean needsQuotes(String text) {
    if (text.isEmpty()) {
      return true;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ',' || c == '"' || c == '\r' || c == '\n') {
        return true;
      }
    }
    return false;
  }

  /** A non-null Iceberg generic value of {@code type} as CSV text (see the class comment). */
  static String text(Object value, Type type) {
    return switch (type.typeId()) {
      case DECIMAL -> ((BigDecimal) value).toPlainString();
      case DATE -> DateTimeFormatter.ISO_LOCAL_DATE.format((LocalDate) value);
      case TIME -> DateTimeFormatter.ISO_LOCAL_TIME.format((LocalTime) value);
      case TIMESTAMP ->
          value instanceof OffsetDateTime instant
              ? DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                  instant.withOffsetSameInstant(ZoneOffset.UTC))
              : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format((LocalDateTime) value);
      case BINARY, FIXED -> hex(value);
      default -> value.toString();
    };
  }

  private static String hex(Object value) {
    ByteBuffer bytes =
        value instanceof byte[] array ? ByteBuffer.wrap(array) : ((ByteBuffer) value).duplicate();
    StringBuilder b = new StringBuilder(2 + 2 * bytes.remaining()).append("\\x");
    while (bytes.hasRemaining()) {
      int v = bytes.get() & 0xff;
      b.append(HEX[v >>> 4]).append(HEX[v & 0xf]);
    }
    return b.toString();
  }

  @Override
  public void finish() throws IOException {
    out.flush();
  }

  @Override
  public void abandon() {
    // nothing beyond the stream, which the export file owns
  }
}
