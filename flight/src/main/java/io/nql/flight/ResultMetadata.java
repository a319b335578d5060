package io.nql.flight;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nql.planner.engine.Charge;
import io.nql.planner.engine.StatementWarning;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The application metadata of a result's final (empty) record batch: a JSON object with what the
 * statement delivered and charged the caller, and its warnings.
 *
 * <pre>{@code
 * {"statement_id":"…","rows":2,"charge":{"rows":2,"usd":"2.000000"},"budget_cut":true,
 *  "warnings":[{"sqlstate":"01N01","message":"Delivery stopped at …"}]}
 * }</pre>
 *
 * Only the caller's own figures: the rows it received, the rows it bought through access rules and
 * their total price, never a rule's price list or predicate.
 */
final class ResultMetadata {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultMetadata() {}

  static byte[] json(
      String statementId, long rows, Charge charge, List<StatementWarning> warnings) {
    ObjectNode root = JSON.createObjectNode();
    root.put("statement_id", statementId);
    root.put("rows", rows);
    ObjectNode c = root.putObject("charge");
    c.put("rows", charge.rows());
    c.put("usd", charge.usd().toPlainString());
    root.put("budget_cut", charge.budgetCut());
    ArrayNode w = root.putArray("warnings");
    for (StatementWarning warning : warnings) {
      w.addObject().put("sqlstate", warning.sqlState()).put("message", warning.message());
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }
}
