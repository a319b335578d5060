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
import org.apache.calcite.util.ImmutableNullableList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code COPY INTO company_data.<ds> FROM POSTGRES SECRET "<name>" TABLE [<schema>.]<table>} or
 * {@code … QUERY '<select>'}: exactly one of {@link #getSourceTable} and {@link #getQuery} is set.
 * The source table is an identifier of one or two parts, quoted as in PostgreSQL (the parser has
 * folded unquoted parts to lower case, as PostgreSQL does).
 */
public class SqlCopyFromPostgres extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("COPY INTO FROM POSTGRES", SqlKind.OTHER);

  private final SqlIdentifier table;
  private final SqlIdentifier secret;
  private final @Nullable SqlIdentifier sourceTable;
  private final @Nullable String query;

  public SqlCopyFromPostgres(
      SqlParserPos pos,
      SqlIdentifier table,
      SqlIdentifier secret,
      @Nullable SqlIdentifier sourceTable,
      @Nullable String query) {
    super(pos);
    if ((sourceTable == null) == (query == null)) {
      throw new IllegalArgumentException("one of TABLE and QUERY");
    }
    this.table = table;
    this.secret = secret;
    this.sourceTable = sourceTable;
    this.query = query;
  }

  /** The target dataset as written, e.g. {@code company_data.orders}. */
  public SqlIdentifier getTable() {
    return table;
  }

  /** The name of the secret that says where to connect and as whom. */
  public String getSecretName() {
    return secret.getSimple();
  }

  /** The PostgreSQL table or view to read whole, or null for a query. */
  public @Nullable SqlIdentifier getSourceTable() {
    return sourceTable;
  }

  /** The PostgreSQL query to read, or null for a table. */
  public @Nullable String getQuery() {
    return query;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(
        table, secret, sourceTable, query == null ? null : SqlLiteral.createCharString(query, pos));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("COPY INTO");
    table.unparse(writer, 0, 0);
    writer.keyword("FROM POSTGRES SECRET");
    secret.unparse(writer, 0, 0);
    if (sourceTable != null) {
      writer.keyword("TABLE");
      sourceTable.unparse(writer, 0, 0);
    } else {
      writer.keyword("QUERY");
      Unparsing.string(writer, query);
    }
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
