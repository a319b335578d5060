package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code COPY INTO company_data.<ds> FROM '<uri>' [FORMAT = 'csv'|'parquet'|'json'] [HEADER =
 * TRUE|FALSE] [DELIMITER = ','] [NULL_STRING = ''] [PATTERN = '*.csv'] [INCREMENTAL = TRUE|FALSE]}.
 * Options that were not given are null; the parser has checked that FORMAT is one of the three
 * formats (lower case) and DELIMITER is one character.
 */
public class SqlCopyInto extends SqlCall {
  public static final SqlOperator OPERATOR = new SqlSpecialOperator("COPY INTO", SqlKind.OTHER);

  private final SqlIdentifier table;
  private final String uri;
  private final String format;
  private final Boolean header;
  private final String delimiter;
  private final String nullString;
  private final String pattern;
  private final Boolean incremental;

  public SqlCopyInto(
      SqlParserPos pos,
      SqlIdentifier table,
      String uri,
      String format,
      Boolean header,
      String delimiter,
      String nullString) {
    this(pos, table, uri, format, header, delimiter, nullString, null, null);
  }

  public SqlCopyInto(
      SqlParserPos pos,
      SqlIdentifier table,
      String uri,
      String format,
      Boolean header,
      String delimiter,
      String nullString,
      String pattern,
      Boolean incremental) {
    super(pos);
    this.table = table;
    this.uri = uri;
    this.format = format;
    this.header = header;
    this.delimiter = delimiter;
    this.nullString = nullString;
    this.pattern = pattern;
    this.incremental = incremental;
  }

  /** The target dataset as written, e.g. {@code company_data.events}. */
  public SqlIdentifier getTable() {
    return table;
  }

  /** The source URI or path. */
  public String getUri() {
    return uri;
  }

  /** {@code csv}, {@code parquet} or {@code json}; null when not given. */
  public String getFormat() {
    return format;
  }

  /** The HEADER option; null when not given. */
  public Boolean getHeader() {
    return header;
  }

  /** The one-character DELIMITER; null when not given. */
  public String getDelimiter() {
    return delimiter;
  }

  /** The NULL_STRING option; null when not given. */
  public String getNullString() {
    return nullString;
  }

  /** The PATTERN option (a glob selecting a directory's files); null when not given. */
  public String getPattern() {
    return pattern;
  }

  /** The INCREMENTAL option; null when not given. */
  public Boolean getIncremental() {
    return incremental;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(table, SqlLiteral.createCharString(uri, pos));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("COPY INTO");
    table.unparse(writer, 0, 0);
    writer.keyword("FROM");
    Unparsing.string(writer, uri);
    Unparsing.stringOption(writer, "FORMAT", format);
    if (header != null) {
      writer.keyword("HEADER");
      writer.keyword("=");
      writer.keyword(header ? "TRUE" : "FALSE");
    }
    Unparsing.stringOption(writer, "DELIMITER", delimiter);
    Unparsing.stringOption(writer, "NULL_STRING", nullString);
    Unparsing.stringOption(writer, "PATTERN", pattern);
    if (incremental != null) {
      writer.keyword("INCREMENTAL");
      writer.keyword("=");
      writer.keyword(incremental ? "TRUE" : "FALSE");
    }
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
