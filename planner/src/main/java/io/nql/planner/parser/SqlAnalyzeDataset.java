package io.nql.planner.parser;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code ANALYZE [DATASET] company_data.<ds>}: recomputes the statistics of the dataset's current
 * snapshot and of every access rule over it (what {@code EXPLAIN} forecasts from).
 */
public class SqlAnalyzeDataset extends SqlNqlCommand {
  public static final SqlOperator OPERATOR = new SqlSpecialOperator("ANALYZE", SqlKind.OTHER);

  public SqlAnalyzeDataset(SqlParserPos pos, SqlIdentifier dataset) {
    super(OPERATOR, pos, dataset);
  }

  /** The dataset, as written. */
  public SqlIdentifier dataset() {
    return target();
  }
}
