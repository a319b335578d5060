package io.nql.planner.ingest;

/**
 * A nested JSON object or array from a JSON-lines file, kept as its compact JSON text.
 *
 * @param json the JSON text
 */
public record JsonText(String json) {
  @Override
  public String toString() {
    return json;
  }
}
