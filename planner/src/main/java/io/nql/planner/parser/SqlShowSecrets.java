package io.nql.planner.parser;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SHOW SECRETS}: the caller's company's secrets, without their sensitive values. */
public class SqlShowSecrets extends SqlNqlCommand {
  public static final SqlOperator OPERATOR = new SqlSpecialOperator("SHOW SECRETS", SqlKind.OTHER);

  public SqlShowSecrets(SqlParserPos pos) {
    super(OPERATOR, pos, null);
  }
}
