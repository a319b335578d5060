package io.nql.planner.parser;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SHOW MAPPINGS ON company_data.<ds>}: the Rosetta Stone mappings of a dataset. */
public class SqlShowMappings extends SqlNqlCommand {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("SHOW MAPPINGS ON", SqlKind.OTHER);

  public SqlShowMappings(SqlParserPos pos, SqlIdentifier name) {
    super(OPERATOR, pos, name);
  }

  /** The name as written (possibly qualified, such as {@code company_data.x}). */
  public SqlIdentifier getDataset() {
    return target();
  }
}
