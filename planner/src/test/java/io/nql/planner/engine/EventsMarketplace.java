package io.nql.planner.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nql.planner.testing.Marketplace;
import io.nql.planner.testing.WebhookReceiver;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

/**
 * A marketplace for delivery tests: {@code acme} owns {@code events (id, name, score, day)} — names
 * with separators, quotes, line breaks, surrounding spaces, empty and NULL — and sells them all to
 * {@code beta} through the rule {@code events_all} at 1 USD per 1,000 rows. Rows compare as text
 * {@code id|name|score} ({@code ∅} for NULL), read from a view or from a request's body.
 */
final class EventsMarketplace {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EventsMarketplace() {}

  /**
   * Opens an engine of {@code config} (whose first ingest root is acme's staging area) with the
   * marketplace and its events 1..{@code rows}.
   */
  static NqlEngine open(EngineConfig config, int rows) throws Exception {
    NqlEngine engine = Marketplace.open(config, "acme", "beta");
    try (NqlSession acme = engine.trusted("acme_user")) {
      acme.execute("CREATE DATASET \"events\" (id BIGINT, name VARCHAR, score DOUBLE, day DATE)")
          .close();
      insert(engine, acme, 1, rows);
      acme.execute(
              "CREATE ACCESS RULE \"events_all\" PRICE_CPM_USD = 1 SHARE WITH COMPANIES (beta)"
                  + " AS SELECT id, name, score, day FROM company_data.events")
          .close();
    }
    return engine;
  }

  /** Adds events {@code from..to} (a JSON lines file loaded with COPY INTO). */
  static void insert(NqlEngine engine, NqlSession acme, int from, int to) throws Exception {
    Path area = Files.createDirectories(engine.config().ingestRoots().get(0).resolve("acme"));
    StringBuilder lines = new StringBuilder();
    for (int id = from; id <= to; id++) {
      ObjectNode row = JSON.createObjectNode();
      row.put("id", id);
      row.put("name", name(id));
      row.put("score", id * 0.5);
      row.put("day", String.format("2026-01-%02d", id % 28 + 1));
      lines.append(JSON.writeValueAsString(row)).append('\n');
    }
    String file = "events_" + from + ".jsonl";
    Files.writeString(area.resolve(file), lines);
    acme.execute("COPY INTO company_data.events FROM '" + file + "' FORMAT = 'json'").close();
  }

  private static String name(int id) {
    return switch (id % 6) {
      case 0 -> null;
      case 1 -> "";
      case 2 -> "comma, \"quote\" '" + id;
      case 3 -> "line\r\nbreak " + id;
      case 4 -> " Zoë 😀 " + id + " ";
      default -> "plain " + id;
    };
  }

  /** The rows of {@code company_data.<view>}, as text, sorted. */
  static List<String> rows(NqlSession s, String view) {
    List<String> out = new ArrayList<>();
    try (StatementResult r = s.execute("SELECT id, name, score FROM company_data." + view)) {
      for (Object[] row; (row = r.next()) != null; ) {
        out.add(text(((Number) row[0]).longValue(), (String) row[1], (Double) row[2]));
      }
    }
    out.sort(null);
    return out;
  }

  /** The rows a request carried, as text, in the order sent. */
  static List<String> rows(WebhookReceiver.Request request) throws Exception {
    List<String> out = new ArrayList<>();
    if (request.header("content-type").startsWith("text/csv")) {
      List<CSVRecord> records =
          CSVFormat.RFC4180
              .builder()
              .setHeader()
              .setSkipHeaderRecord(true)
              .setNullString("")
              .setQuoteMode(QuoteMode.ALL_NON_NULL)
              .get()
              .parse(new StringReader(request.text()))
              .getRecords();
      for (CSVRecord r : records) {
        out.add(
            text(Long.parseLong(r.get("id")), r.get("name"), Double.parseDouble(r.get("score"))));
        if (!r.get("day").matches("2026-01-\\d\\d")) {
          throw new AssertionError("day " + r.get("day"));
        }
      }
      return out;
    }
    for (String line : request.text().split("\n")) {
      JsonNode n = JSON.readTree(line);
      out.add(
          text(
              n.get("id").asLong(),
              n.get("name").isNull() ? null : n.get("name").asText(),
              n.get("score").asDouble()));
      if (!n.get("day").asText().matches("2026-01-\\d\\d")) {
        throw new AssertionError("day " + n.get("day"));
      }
    }
    return out;
  }

  private static String text(long id, String name, double score) {
    return id + "|" + (name == null ? "∅" : name) + "|" + score;
  }

  /** {@code before} taken out of {@code after} (multisets), sorted: what a run appended. */
  static List<String> added(List<String> before, List<String> after) {
    List<String> out = new ArrayList<>(after);
    for (String row : before) {
      if (!out.remove(row)) {
        throw new AssertionError("a row went away: " + row);
      }
    }
    out.sort(null);
    return out;
  }
}
