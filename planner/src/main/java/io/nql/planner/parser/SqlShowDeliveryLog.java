package io.nql.planner.parser;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SHOW DELIVERY LOG "<name>"}: a delivery's attempts, newest first. */
public class SqlShowDeliveryLog extends SqlNqlCommand {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("SHOW DELIVERY LOG", SqlKind.OTHER);

  public SqlShowDeliveryLog(SqlParserPos pos, SqlIdentifier name) {
    super(OPERATOR, pos, name);
  }

  /** The delivery's name. */
  public SqlIdentifier getName() {
    return target();
  }
}
