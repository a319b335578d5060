package io.nql.server.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Request;

/**
 * {@code GET /warnings?connection_id=…&statement_id=…}: the warnings of the latest execution of a
 * statement on one of the caller's own connections (e.g. a budget that stopped delivery), which
 * Avatica's protocol does not carry. Answers {@code 200 {"warnings":[{"sqlstate":…,"message":…}]}};
 * an id that is unknown or belongs to someone else gets the same {@code 404}.
 */
final class WarningsEndpoint {
  static final String PATH = "/warnings";

  private final OwnedMeta meta;

  WarningsEndpoint(OwnedMeta meta) {
    this.meta = meta;
  }

  void handle(String user, Request base, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    base.setHandled(true);
    int statementId;
    try {
      statementId = Integer.parseInt(String.valueOf(request.getParameter("statement_id")).trim());
    } catch (NumberFormatException e) {
      JsonAnswer.write(response, HttpServletResponse.SC_BAD_REQUEST, answer(List.of()));
      return;
    }
    Optional<OpenConnection> c = meta.owned(request.getParameter("connection_id"), user);
    if (c.isEmpty()) {
      JsonAnswer.write(response, HttpServletResponse.SC_NOT_FOUND, answer(List.of()));
      return;
    }
    JsonAnswer.write(
        response, HttpServletResponse.SC_OK, answer(meta.warnings(c.get(), statementId)));
  }

  /** {@code {"warnings":[{"sqlstate":…,"message":…}, …]}} of {sqlState, message} pairs. */
  private static ObjectNode answer(List<String[]> warnings) {
    ObjectNode answer = JsonAnswer.object();
    ArrayNode list = answer.putArray("warnings");
    for (String[] w : warnings) {
      list.add(JsonAnswer.condition(w[0], w[1]));
    }
    return answer;
  }
}
