package io.nql.planner.parser;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SHOW DELIVERIES}: the caller's company's webhook deliveries and where each stands. */
public class SqlShowDeliveries extends SqlNqlCommand {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("SHOW DELIVERIES", SqlKind.OTHER);

  public SqlShowDeliveries(SqlParserPos pos) {
    super(OPERATOR, pos, null);
  }
}
