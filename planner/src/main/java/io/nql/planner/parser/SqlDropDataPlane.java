package io.nql.planner.parser;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code DROP DATA PLANE "<name>"}. */
public class SqlDropDataPlane extends SqlDropObject {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("DROP DATA PLANE", SqlKind.OTHER_DDL);

  public SqlDropDataPlane(SqlParserPos pos, SqlIdentifier name) {
    super(OPERATOR, pos, name);
  }
}
