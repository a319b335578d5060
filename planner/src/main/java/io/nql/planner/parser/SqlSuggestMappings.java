package io.nql.planner.parser;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code SUGGEST MAPPINGS FOR company_data.<ds>}: proposed mappings from profiling a dataset. */
public class SqlSuggestMappings extends SqlNqlCommand {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("SUGGEST MAPPINGS FOR", SqlKind.OTHER);

  public SqlSuggestMappings(SqlParserPos pos, SqlIdentifier name) {
    super(OPERATOR, pos, name);
  }

  /** The name as written (possibly qualified, such as {@code company_data.x}). */
  public SqlIdentifier getDataset() {
    return target();
  }
}
