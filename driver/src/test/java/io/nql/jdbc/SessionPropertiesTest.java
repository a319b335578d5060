package io.nql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.engine.SessionProperty;
import io.nql.planner.error.NqlException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's session properties are the engine's registry, {@link SessionProperty}: the driver
 * lists them again because it must not depend on the planner, and this test keeps the two equal,
 * together with the table of docs/clients/jdbc.md.
 */
class SessionPropertiesTest {
  private static final List<String> REGISTRY =
      Arrays.stream(SessionProperty.values()).map(SessionProperty::key).toList();

  @Test
  void driverDescribesExactlyTheRegistrysProperties() {
    assertThat(ConnectionProperties.SESSION).containsExactlyElementsOf(REGISTRY);
    for (SessionProperty p : SessionProperty.values()) {
      ConnectionProperties.Property d =
          ConnectionProperties.ALL.stream()
              .filter(x -> x.name().equals(p.key()))
              .findFirst()
              .orElseThrow();
      assertThat(d.description()).as(p.key()).isEqualTo(p.description());
      assertThat(d.choices() == null ? List.of() : List.of(d.choices()))
          .as(p.key())
          .isEqualTo(p.choices());
      assertThat(d.required()).as(p.key()).isFalse();
    }
  }

  @Test
  void docsListEveryConnectionProperty() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "clients", "jdbc.md"));
    int start = doc.indexOf("## Connection properties");
    assertThat(start).isNotNegative();
    int end = doc.indexOf("\n## ", start + 1);
    Matcher row =
        Pattern.compile("(?m)^\\| `([^`]+)` \\|")
            .matcher(doc.substring(start, end < 0 ? doc.length() : end));
    List<String> documented = new ArrayList<>();
    while (row.find()) {
      documented.add(row.group(1));
    }
    assertThat(documented)
        .containsExactlyElementsOf(
            ConnectionProperties.ALL.stream().map(ConnectionProperties.Property::name).toList())
        .containsAll(REGISTRY);
  }

  @Test
  void anEmbeddedConnectionHandsEachToTheEngine(@TempDir Path dir) throws Exception {
    // One refused value a property: the engine's error reaching the client proves it was handed on.
    Map<SessionProperty, String> refused =
        Map.of(
            SessionProperty.BUDGET_USD, "-1",
            SessionProperty.STRICT, "false",
            SessionProperty.VECTOR_EXECUTION, "maybe",
            SessionProperty.INTERPRETED_JOINS, "sometimes");
    assertThat(refused.keySet()).containsExactlyInAnyOrder(SessionProperty.values());
    String url = "jdbc:nql:embedded:" + dir.resolve("wh") + "?user=admin&";
    // The engine opens only over existing ingest roots (another test may have set a gone one).
    String roots = System.getProperty("nql.ingest.roots");
    System.setProperty("nql.ingest.roots", Files.createDirectories(dir.resolve("in")).toString());
    try {
      for (SessionProperty p : SessionProperty.values()) {
        connectWith(url, p, refused.get(p));
      }
    } finally {
      if (roots == null) {
        System.clearProperty("nql.ingest.roots");
      } else {
        System.setProperty("nql.ingest.roots", roots);
      }
    }
  }

  /** A refused value fails with the engine's SQLSTATE; the default value connects. */
  private static void connectWith(String url, SessionProperty p, String refused)
      throws SQLException {
    String sqlState = sqlStateOf(p, refused);
    assertThatThrownBy(() -> DriverManager.getConnection(url + p.key() + "=" + refused).close())
        .as(p.key())
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(sqlState));
    try (Connection c = DriverManager.getConnection(url + p.key() + "=" + p.defaultValue())) {
      assertThat(c.isValid(1)).as(p.key()).isTrue();
    }
  }

  private static String sqlStateOf(SessionProperty p, String value) {
    try {
      p.validate(value);
    } catch (NqlException e) {
      return e.sqlState();
    }
    throw new AssertionError(p.key() + " accepts " + value);
  }
}
