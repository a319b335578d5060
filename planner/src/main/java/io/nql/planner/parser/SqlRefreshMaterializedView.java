package io.nql.planner.parser;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code REFRESH MATERIALIZED VIEW "<name>"}: run a materialized view now. */
public class SqlRefreshMaterializedView extends SqlNqlCommand {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("REFRESH MATERIALIZED VIEW", SqlKind.OTHER);

  public SqlRefreshMaterializedView(SqlParserPos pos, SqlIdentifier name) {
    super(OPERATOR, pos, name);
  }

  /** The name as written (possibly qualified, such as {@code company_data.x}). */
  public SqlIdentifier getName() {
    return target();
  }
}
