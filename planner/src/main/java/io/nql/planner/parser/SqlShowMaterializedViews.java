package io.nql.planner.parser;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SHOW MATERIALIZED VIEWS}: the caller's company's materialized views and their runs. */
public class SqlShowMaterializedViews extends SqlNqlCommand {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("SHOW MATERIALIZED VIEWS", SqlKind.OTHER);

  public SqlShowMaterializedViews(SqlParserPos pos) {
    super(OPERATOR, pos, null);
  }
}
