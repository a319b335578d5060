package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

/**
 * RFC 4180 CSV (or any single-character delimiter) through commons-csv. Every record must have as
 * many fields as the first one (the header when there is one); empty lines are skipped.
 */
final class CsvRowSource implements RowSource {
  private final Path file;
  private final TextInput input;
  private final CSVParser parser;
  private final Iterator<CSVRecord> records;
  private final List<String> names;
  private SourceRow pending;

  CsvRowSource(Path file, CopyOptions options) {
    this.file = file;
    this.input = TextInput.open(file);
    // ALL_NON_NULL makes commons-csv tell a quoted field from an unquoted one when applying the
    // null string: an unquoted match is NULL, a quoted one stays text ("" is the empty string).
    CSVFormat format =
        CSVFormat.RFC4180
            .builder()
            .setDelimiter(options.delimiterFor(file))
            .setNullString(options.nullString())
            .setQuoteMode(QuoteMode.ALL_NON_NULL)
            .setIgnoreEmptyLines(true)
            .get();
    try {
      this.parser = CSVParser.builder().setReader(input.reader).setFormat(format).get();
    } catch (IOException e) {
      close();
      throw TextInput.readError(file, e);
    }
    this.records = parser.iterator();
    SourceRow first = read(null);
    if (first == null) {
      names = List.of();
    } else if (options.header()) {
      List<String> header = new ArrayList<>(first.values().length);
      for (Object v : first.values()) {
        header.add(v == null ? "" : (String) v);
      }
      names = List.copyOf(header);
    } else {
      names = ColumnNames.generated(first.values().length);
      pending = new SourceRow(first.position(), names, first.values());
    }
  }

  /** The column names as written in the header (or generated). */
  List<String> names() {
    return names;
  }

  @Override
  public SourceRow next() {
    if (pending != null) {
      SourceRow row = pending;
      pending = null;
      return row;
    }
    return read(names);
  }

  private SourceRow read(List<String> expected) {
    long line = parser.getCurrentLineNumber() + 1;
    CSVRecord record;
    try {
      if (!records.hasNext()) {
        return null;
      }
      record = records.next();
    } catch (UncheckedIOException e) {
      throw malformed(line, e.getCause());
    } catch (IllegalStateException e) {
      throw malformed(line, e);
    }
    // Empty lines are skipped by the parser: recover the record's first line from its last one.
    line = parser.getCurrentLineNumber() - embeddedLineBreaks(record);
    Object[] values = new Object[record.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = record.get(i);
    }
    if (expected != null && values.length != expected.size()) {
      throw NqlException.of(
          ErrorCode.BAD_COPY_FILE_FORMAT,
          "Cannot load '%s': line %d: expected %d fields, found %d",
          file.getFileName(),
          line,
          expected.size(),
          values.length);
    }
    return new SourceRow(line, expected, values);
  }

  private static int embeddedLineBreaks(CSVRecord record) {
    int n = 0;
    for (String v : record) {
      if (v != null) {
        for (int i = 0; i < v.length(); i++) {
          char c = v.charAt(i);
          if (c == '\n' || (c == '\r' && (i + 1 == v.length() || v.charAt(i + 1) != '\n'))) {
            n++;
          }
        }
      }
    }
    return n;
  }

  private NqlException malformed(long line, Throwable cause) {
    String text = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
    if (cause instanceof IOException
        && !(cause instanceof org.apache.commons.csv.CSVException)
        && !text.contains("EOF")
        && !text.contains("nvalid char")) {
      return TextInput.readError(file, (IOException) cause);
    }
    String reason =
        text.contains("EOF")
            ? "a quoted field is not closed"
            : "unexpected character after a quoted field";
    return new NqlException(
        ErrorCode.BAD_COPY_FILE_FORMAT,
        String.format(
            Locale.ROOT, "Cannot load '%s': line %d: %s", file.getFileName(), line, reason),
        cause);
  }

  @Override
  public String positionWord() {
    return "line";
  }

  @Override
  public long bytesRead() {
    return input.counter.count();
  }

  @Override
  public long totalBytes() {
    return input.totalBytes;
  }

  @Override
  public void close() {
    try {
      if (parser != null) {
        parser.close();
      } else {
        input.reader.close();
      }
    } catch (IOException e) {
      // Closing a read-only file: nothing was lost.
    }
  }
}
