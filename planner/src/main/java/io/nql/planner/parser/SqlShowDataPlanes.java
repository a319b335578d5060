package io.nql.planner.parser;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SHOW DATA PLANES}: the caller's company's data planes, without their passwords. */
public class SqlShowDataPlanes extends SqlNqlCommand {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("SHOW DATA PLANES", SqlKind.OTHER);

  public SqlShowDataPlanes(SqlParserPos pos) {
    super(OPERATOR, pos, null);
  }
}
