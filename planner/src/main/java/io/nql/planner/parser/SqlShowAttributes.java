package io.nql.planner.parser;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SHOW ATTRIBUTES}: the Rosetta Stone attribute catalog. */
public class SqlShowAttributes extends SqlNqlCommand {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("SHOW ATTRIBUTES", SqlKind.OTHER);

  public SqlShowAttributes(SqlParserPos pos) {
    super(OPERATOR, pos, null);
  }
}
