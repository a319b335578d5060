package io.nql.planner.parser;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SHOW DATASETS}: the caller's company's datasets. */
public class SqlShowDatasets extends SqlNqlCommand {
  public static final SqlOperator OPERATOR = new SqlSpecialOperator("SHOW DATASETS", SqlKind.OTHER);

  public SqlShowDatasets(SqlParserPos pos) {
    super(OPERATOR, pos, null);
  }
}
