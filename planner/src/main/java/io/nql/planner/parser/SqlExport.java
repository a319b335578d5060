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
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code EXPORT company_data.<ds> TO '<path>'} or {@code EXPORT (<query>) TO '<path>'}, with
 * options {@code [FORMAT = 'csv'|'parquet'] [HEADER = TRUE|FALSE] [OVERWRITE = TRUE|FALSE]} in any
 * order, each at most once. Exactly one of {@link #getTable()} and {@link #getQuery()} is set;
 * options that were not given are null; the parser has checked that FORMAT is one of the two
 * formats (lower case).
 */
public class SqlExport extends SqlCall {
  public static final SqlOperator OPERATOR = new SqlSpecialOperator("EXPORT", SqlKind.OTHER);

  private final @Nullable SqlIdentifier table;
  private final @Nullable SqlNode query;
  private final String path;
  private final @Nullable String format;
  private final @Nullable Boolean header;
  private final @Nullable Boolean overwrite;

  public SqlExport(
      SqlParserPos pos,
      @Nullable SqlIdentifier table,
      @Nullable SqlNode query,
      String path,
      @Nullable String format,
      @Nullable Boolean header,
      @Nullable Boolean overwrite) {
    super(pos);
    if ((table == null) == (query == null)) {
      throw new IllegalArgumentException("EXPORT takes a dataset or a query");
    }
    this.table = table;
    this.query = query;
    this.path = path;
    this.format = format;
    this.header = header;
    this.overwrite = overwrite;
  }

  /** The dataset as written, e.g. {@code company_data.events}; null for a query. */
  public @Nullable SqlIdentifier getTable() {
    return table;
  }

  /** The query of {@code EXPORT (<query>)}; null for a dataset. */
  public @Nullable SqlNode getQuery() {
    return query;
  }

  /** This statement with another query (the same one with Rosetta Stone columns expanded). */
  public SqlExport withQuery(SqlNode expanded) {
    return new SqlExport(pos, null, expanded, path, format, header, overwrite);
  }

  /** The target path or {@code file:} URI as written. */
  public String getPath() {
    return path;
  }

  /** {@code csv} or {@code parquet}; null when not given. */
  public @Nullable String getFormat() {
    return format;
  }

  /** The HEADER option; null when not given. */
  public @Nullable Boolean getHeader() {
    return header;
  }

  /** The OVERWRITE option; null when not given. */
  public @Nullable Boolean getOverwrite() {
    return overwrite;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(table != null ? table : query, SqlLiteral.createCharString(path, pos));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("EXPORT");
    if (table != null) {
      table.unparse(writer, 0, 0);
    } else {
      SqlWriter.Frame frame = writer.startList("(", ")");
      query.unparse(writer, 0, 0);
      writer.endList(frame);
    }
    writer.keyword("TO");
    Unparsing.string(writer, path);
    Unparsing.stringOption(writer, "FORMAT", format);
    booleanOption(writer, "HEADER", header);
    booleanOption(writer, "OVERWRITE", overwrite);
  }

  private static void booleanOption(SqlWriter writer, String keyword, @Nullable Boolean value) {
    if (value != null) {
      writer.keyword(keyword);
      writer.keyword("=");
      writer.keyword(value ? "TRUE" : "FALSE");
    }
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
