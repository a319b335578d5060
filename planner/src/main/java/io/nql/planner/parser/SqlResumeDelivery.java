package io.nql.planner.parser;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code RESUME DELIVERY "<name>"}: retry a stopped delivery's batch now, then go on. */
public class SqlResumeDelivery extends SqlNqlCommand {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("RESUME DELIVERY", SqlKind.OTHER);

  public SqlResumeDelivery(SqlParserPos pos, SqlIdentifier name) {
    super(OPERATOR, pos, name);
  }

  /** The delivery's name. */
  public SqlIdentifier getName() {
    return target();
  }
}
