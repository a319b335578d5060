package io.nql.planner.parser;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code DROP USER "<name>"} (admin only). */
public class SqlDropUser extends SqlDropObject {
  public static final SqlOperator OPERATOR = new SqlSpecialOperator("DROP USER", SqlKind.OTHER_DDL);

  public SqlDropUser(SqlParserPos pos, SqlIdentifier name) {
    super(OPERATOR, pos, name);
  }
}
