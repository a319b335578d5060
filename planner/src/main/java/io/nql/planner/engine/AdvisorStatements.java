package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.parser.SqlApplyRecommendation;
import io.nql.planner.parser.SqlShowRecommendations;
import io.nql.planner.result.ProgressListener;
import io.nql.planner.store.Company;
import java.util.List;
import org.apache.calcite.sql.SqlNode;

/** {@code SHOW RECOMMENDATIONS} and {@code APPLY RECOMMENDATION(S)}: the layout advisor. */
final class AdvisorStatements {
  private final NqlEngine engine;
  private final DatasetStatements datasets;
  private final Company company;

  AdvisorStatements(NqlEngine engine, DatasetStatements datasets, Company company) {
    this.engine = engine;
    this.datasets = datasets;
    this.company = company;
  }

  static boolean handles(SqlNode node) {
    return node instanceof SqlShowRecommendations || node instanceof SqlApplyRecommendation;
  }

  static PreparedInfo shape(SqlNode node) {
    return new PreparedInfo(false, List.of(), List.of());
  }

  StatementResult run(String statementId, SqlNode node, ProgressListener progress) {
    throw new NqlException(ErrorCode.NOT_SUPPORTED, "Cannot advise: not supported yet");
  }
}
