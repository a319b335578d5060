package io.nql.server.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
      write(response, HttpServletResponse.SC_BAD_REQUEST, "{\"warnings\":[]}");
      return;
    }
    Optional<OpenConnection> c = meta.owned(request.getParameter("connection_id"), user);
    if (c.isEmpty()) {
      write(response, HttpServletResponse.SC_NOT_FOUND, "{\"warnings\":[]}");
      return;
    }
    StringBuilder json = new StringBuilder("{\"warnings\":[");
    List<String[]> warnings = meta.warnings(c.get(), statementId);
    for (int i = 0; i < warnings.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"sqlstate\":")
          .append(quote(warnings.get(i)[0]))
          .append(",\"message\":")
          .append(quote(warnings.get(i)[1]))
          .append('}');
    }
    write(response, HttpServletResponse.SC_OK, json.append("]}").toString());
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (ch < 0x20) {
            b.append(String.format("\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private static void write(HttpServletResponse response, int status, String json)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json;charset=utf-8");
    response.getOutputStream().write((json + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
