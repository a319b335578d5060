package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Options of one {@code COPY INTO}. Immutable: each {@code with…} method returns a copy.
 *
 * <p>Defaults: format inferred from the file name, {@code header = true}, delimiter {@code ','}
 * (tab for {@code .tsv} files), null string {@code ""} (an unquoted empty field is NULL, a quoted
 * empty field {@code ""} is the empty string).
 */
public final class CopyOptions {
  private static final CopyOptions DEFAULTS = new CopyOptions(null, true, null, "");

  private final CopyFormat format;
  private final boolean header;
  private final Character delimiter;
  private final String nullString;

  private CopyOptions(CopyFormat format, boolean header, Character delimiter, String nullString) {
    this.format = format;
    this.header = header;
    this.delimiter = delimiter;
    this.nullString = nullString;
  }

  /** The default options. */
  public static CopyOptions defaults() {
    return DEFAULTS;
  }

  /** Copy with an explicit format. */
  public CopyOptions withFormat(CopyFormat newFormat) {
    return new CopyOptions(newFormat, header, delimiter, nullString);
  }

  /** Copy with the header flag (CSV only): when false, columns are named column_1..n. */
  public CopyOptions withHeader(boolean newHeader) {
    return new CopyOptions(format, newHeader, delimiter, nullString);
  }

  /** Copy with a field delimiter (CSV only). */
  public CopyOptions withDelimiter(char newDelimiter) {
    if (newDelimiter == '"' || newDelimiter == '\n' || newDelimiter == '\r') {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot use delimiter '%s': it must not be a quote or a line break",
          newDelimiter);
    }
    return new CopyOptions(format, header, newDelimiter, nullString);
  }

  /** Copy with the text of an unquoted field that means NULL (CSV only). */
  public CopyOptions withNullString(String newNullString) {
    return new CopyOptions(format, header, delimiter, newNullString);
  }

  /** The explicit format, if one was given. */
  public Optional<CopyFormat> format() {
    return Optional.ofNullable(format);
  }

  /** Whether the first CSV record holds the column names. */
  public boolean header() {
    return header;
  }

  /** The explicit delimiter, if one was given. */
  public Optional<Character> delimiter() {
    return Optional.ofNullable(delimiter);
  }

  /** The text of an unquoted field that means NULL. */
  public String nullString() {
    return nullString;
  }

  /**
   * The format to read {@code file} with: the explicit one, else the one its extension names
   * ({@code .csv}, {@code .tsv}, {@code .parquet}, {@code .json}, {@code .jsonl}, {@code .ndjson},
   * text formats optionally followed by {@code .gz}).
   *
   * @throws NqlException {@link ErrorCode#INVALID_PARAMETER_VALUE} when no format is given and the
   *     extension is not one of these
   */
  public CopyFormat formatFor(Path file) {
    if (format != null) {
      return format;
    }
    String name = baseName(file);
    if (name.endsWith(".csv") || name.endsWith(".tsv")) {
      return CopyFormat.CSV;
    }
    if (name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return CopyFormat.JSON;
    }
    if (name.endsWith(".parquet") && !isGzip(file)) {
      return CopyFormat.PARQUET;
    }
    throw NqlException.of(
        ErrorCode.INVALID_PARAMETER_VALUE,
        "Cannot infer the format of '%s': name the format with FORMAT = 'csv'|'parquet'|'json'",
        file.getFileName());
  }

  /** The delimiter to read {@code file} with: the explicit one, else tab for .tsv, else comma. */
  public char delimiterFor(Path file) {
    if (delimiter != null) {
      return delimiter;
    }
    return baseName(file).endsWith(".tsv") ? '\t' : ',';
  }

  /** True when the file name ends with {@code .gz}: text is decompressed while reading. */
  static boolean isGzip(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
  }

  private static String baseName(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "CopyOptions{format=%s, header=%s, delimiter=%s, nullString='%s'}",
        format,
        header,
        delimiter,
        nullString);
  }
}
