package io.nql.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the JSON answers of the gateway's own endpoints ({@code POST /cancel}, {@code GET
 * /warnings}), with the Jackson that Avatica already brings.
 */
final class GatewayJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GatewayJson() {}

  /**
   * The {sqlState, message} pairs of a {@code {"warnings":[{"sqlstate":…,"message":…}]}} answer;
   * entries without both are skipped.
   *
   * @throws JsonProcessingException when the answer is not JSON
   */
  static List<String[]> warnings(String json) throws JsonProcessingException {
    List<String[]> out = new ArrayList<>();
    for (JsonNode w : JSON.readTree(json).path("warnings")) {
      JsonNode state = w.path("sqlstate");
      JsonNode message = w.path("message");
      if (state.isTextual() && message.isTextual()) {
        out.add(new String[] {state.asText(), message.asText()});
      }
    }
    return out;
  }

  /**
   * Whether a {@code {"cancelled":…}} answer says a statement was stopped.
   *
   * @throws JsonProcessingException when the answer is not JSON
   */
  static boolean cancelled(String json) throws JsonProcessingException {
    return JSON.readTree(json).path("cancelled").asBoolean(false);
  }
}
