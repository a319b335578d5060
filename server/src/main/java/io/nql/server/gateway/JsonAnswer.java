package io.nql.server.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import javax.servlet.http.HttpServletResponse;

/** The JSON answers of the gateway's own HTTP endpoints ({@code /cancel}, {@code /warnings}). */
final class JsonAnswer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonAnswer() {}

  /** A new, empty JSON object to fill in. */
  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** {@code {"sqlstate":…,"message":…}}: a warning, or why a request was refused. */
  static ObjectNode condition(String sqlState, String message) {
    return object().put("sqlstate", sqlState).put("message", message);
  }

  /** Writes the answer as UTF-8 JSON followed by a newline. */
  static void write(HttpServletResponse response, int status, ObjectNode body) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json;charset=utf-8");
    OutputStream out = response.getOutputStream();
    out.write(JSON.writeValueAsBytes(body));
    out.write('\n');
  }
}
