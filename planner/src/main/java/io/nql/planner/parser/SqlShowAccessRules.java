package io.nql.planner.parser;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SHOW ACCESS RULES}: the caller's own rules and the rules shared with it. */
public class SqlShowAccessRules extends SqlNqlCommand {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("SHOW ACCESS RULES", SqlKind.OTHER);

  public SqlShowAccessRules(SqlParserPos pos) {
    super(OPERATOR, pos, null);
  }
}
