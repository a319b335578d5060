package io.nql.server.gateway;

import java.io.IOException;
import java.util.Optional;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Request;

/**
 * {@code POST /cancel} with form fields {@code connection_id} and optionally {@code statement_id}:
 * asks the statement running on one of the caller's own connections to stop (it then fails with
 * SQLSTATE 57014). Answers {@code 200 {"cancelled":true|false}}; an id that is unknown or belongs
 * to someone else gets the same {@code 404}, so the answer does not reveal which.
 */
final class CancelEndpoint {
  static final String PATH = "/cancel";

  private final OwnedMeta meta;

  CancelEndpoint(OwnedMeta meta) {
    this.meta = meta;
  }

  void handle(String user, Request base, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    base.setHandled(true);
    if (!request.getMethod().equals("POST")) {
      JsonAnswer.write(
          response,
          HttpServletResponse.SC_METHOD_NOT_ALLOWED,
          JsonAnswer.condition("0A000", "Use POST"));
      return;
    }
    String connectionId = request.getParameter("connection_id");
    int statementId;
    try {
      String s = request.getParameter("statement_id");
      statementId = s == null || s.isBlank() ? -1 : Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      JsonAnswer.write(
          response,
          HttpServletResponse.SC_BAD_REQUEST,
          JsonAnswer.condition("22023", "Cannot cancel: statement_id is not a number"));
      return;
    }
    Optional<OpenConnection> c = meta.owned(connectionId, user);
    if (c.isEmpty()) {
      JsonAnswer.write(
          response,
          HttpServletResponse.SC_NOT_FOUND,
          JsonAnswer.condition("28000", GatewayErrors.UNKNOWN_CONNECTION));
      return;
    }
    boolean cancelled = meta.cancel(c.get(), statementId);
    GatewayLog.info(
        "cancel",
        "user",
        user,
        "connection",
        connectionId,
        "statement",
        statementId,
        "cancelled",
        cancelled);
    JsonAnswer.write(
        response, HttpServletResponse.SC_OK, JsonAnswer.object().put("cancelled", cancelled));
  }
}
