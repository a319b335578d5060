package io.nql.planner.parser;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SHOW PLAN CACHE}: the plan cache's counters (administrators). */
public class SqlShowPlanCache extends SqlNqlCommand {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("SHOW PLAN CACHE", SqlKind.OTHER);

  public SqlShowPlanCache(SqlParserPos pos) {
    super(OPERATOR, pos, null);
  }
}
