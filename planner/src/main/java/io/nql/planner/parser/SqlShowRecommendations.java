package io.nql.planner.parser;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code SHOW RECOMMENDATIONS [FOR company_data.<ds>]}: the advisor's layout recommendations for
 * the caller's datasets (see {@code io.nql.planner.maintenance.Advisor}).
 */
public class SqlShowRecommendations extends SqlNqlCommand {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("SHOW RECOMMENDATIONS FOR", SqlKind.OTHER);

  public SqlShowRecommendations(SqlParserPos pos, @Nullable SqlIdentifier dataset) {
    super(OPERATOR, pos, dataset);
  }

  /** The dataset as written, or null for all of the caller's datasets. */
  public @Nullable SqlIdentifier dataset() {
    return target();
  }

  @Override
  public void unparse(org.apache.calcite.sql.SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW RECOMMENDATIONS");
    if (target() != null) {
      writer.keyword("FOR");
      target().unparse(writer, 0, 0);
    }
  }
}
