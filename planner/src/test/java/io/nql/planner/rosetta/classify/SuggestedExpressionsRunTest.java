package io.nql.planner.rosetta.classify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.error.NqlException;
import io.nql.planner.testing.Marketplace;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every expression the classifier proposes for the corpus runs in NQL, over the corpus loaded as
 * datasets, and gives values of the attribute's canonical form (its type, pattern, enum and range
 * in core-attributes.json) for at least half of the rows.
 */
class SuggestedExpressionsRunTest {
  @TempDir Path dir;

  @Test
  void everySuggestedExpressionRunsAndGivesCanonicalValues() throws Exception {
    Corpus corpus = Corpus.read(ClassifierTest.CORPUS);
    Map<String, JsonNode> attributes = coreAttributes();
    Path ingest = dir.resolve("ingest");
    Path area = Files.createDirectories(ingest.resolve("acme"));
    List<String> failures = new ArrayList<>();
    int checked = 0;
    try (NqlEngine engine = Marketplace.open(dir.resolve("wh"), ingest, "acme");
        NqlSession provider = engine.trusted("acme_user")) {
      for (Corpus.Dataset d : corpus.datasets()) {
        Files.copy(
            ClassifierTest.CORPUS.resolve(d.name() + ".csv"), area.resolve(d.name() + ".csv"));
        provider.execute(createDataset(d)).close();
        provider
            .execute("COPY INTO company_data." + d.name() + " FROM '" + d.name() + ".csv'")
            .close();
        for (Suggestion s : new Classifier().suggest(d.samples())) {
          String where =
              d.name() + "." + s.column() + " → " + s.attribute() + ": " + s.expression();
          List<Object> values;
          try {
            values =
                column(
                    provider, "SELECT " + s.expression() + " AS v FROM company_data." + d.name());
          } catch (NqlException e) {
            failures.add(where + " fails: " + e.getMessage());
            continue;
          }
          checked++;
          JsonNode attribute = attributes.get(s.attribute());
          int present = 0;
          for (Object v : values) {
            if (v == null) {
              continue;
            }
            present++;
            String problem = violation(attribute, v);
            if (problem != null) {
              failures.add(
                  where + " gives " + v + " (" + v.getClass().getSimpleName() + "): " + problem);
              break;
            }
          }
          if (present < values.size() / 2) {
            failures.add(
                where + " gives a value for only " + present + " of " + values.size() + " rows");
          }
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(checked).isGreaterThanOrEqualTo(40);
  }

  private static String createDataset(Corpus.Dataset d) {
    List<String> columns = new ArrayList<>();
    for (Corpus.Column c : d.columns()) {
      String type =
          switch (c.sqlType()) {
            case "TIMESTAMP_WITH_LOCAL_TIME_ZONE" -> "TIMESTAMP WITH LOCAL TIME ZONE";
            case "DECIMAL" -> "DECIMAL(18, 6)";
            default -> c.sqlType();
          };
      columns.add(Expressions.column(c.name()) + " " + type);
    }
    return "CREATE DATASET " + d.name() + " (" + String.join(", ", columns) + ")";
  }

  private static List<Object> column(NqlSession s, String sql) {
    List<Object> out = new ArrayList<>();
    try (StatementResult r = s.execute(sql)) {
      Object[] row;
      while ((row = r.next()) != null) {
        out.add(row[0]);
      }
    }
    return out;
  }

  /** Why {@code v} is not a value of the attribute, or null when it is. */
  private static String violation(JsonNode attribute, Object v) {
    String type = attribute.get("type").asText();
    switch (type) {
      case "string" -> {
        if (!(v instanceof String text)) {
          return "not a string";
        }
        if (attribute.has("pattern") && !Pattern.matches(attribute.get("pattern").asText(), text)) {
          return "does not match " + attribute.get("pattern").asText();
        }
        if (attribute.has("enum")) {
          boolean listed = false;
          for (JsonNode e : attribute.get("enum")) {
            listed |= e.asText().equals(text);
          }
          if (!listed) {
            return "not in " + attribute.get("enum");
          }
        }
      }
      case "long", "double" -> {
        if (!(v instanceof Number n)
            || type.equals("long") && !(v instanceof Long || v instanceof Integer)) {
          return "not a " + type;
        }
        if (attribute.has("minimum") && n.doubleValue() < attribute.get("minimum").asDouble()
            || attribute.has("maximum") && n.doubleValue() > attribute.get("maximum").asDouble()) {
          return "out of range";
        }
      }
      case "boolean" -> {
        if (!(v instanceof Boolean)) {
          return "not a boolean";
        }
      }
      case "timestamptz" -> {
        if (!(v instanceof LocalDateTime || v instanceof Instant || v instanceof OffsetDateTime)) {
          return "not a timestamp";
        }
      }
      default -> {
        return "unexpected attribute type " + type;
      }
    }
    return null;
  }

  static Map<String, JsonNode> coreAttributes() throws Exception {
    Map<String, JsonNode> out = new HashMap<>();
    try (InputStream in =
        SuggestedExpressionsRunTest.class.getResourceAsStream(
            "/io/nql/planner/rosetta/core-attributes.json")) {
      for (JsonNode a : new ObjectMapper().readTree(in).get("attributes")) {
        out.put(a.get("name").asText(), a);
      }
    }
    return out;
  }
}
