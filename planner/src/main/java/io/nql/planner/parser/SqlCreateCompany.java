package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code CREATE COMPANY <slug>} (admin only). */
public class SqlCreateCompany extends SqlCreate {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE COMPANY", SqlKind.OTHER_DDL);

  private final SqlIdentifier slug;

  public SqlCreateCompany(SqlParserPos pos, SqlIdentifier slug) {
    super(OPERATOR, pos, false, false);
    this.slug = slug;
  }

  /** The company's slug as an identifier. */
  public SqlIdentifier getSlug() {
    return slug;
  }

  /** The company's slug as a string (unquoted identifiers are lower-cased by the parser). */
  public String getSlugString() {
    return slug.getSimple();
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(slug);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE COMPANY");
    slug.unparse(writer, 0, 0);
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
