package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log through both front ends of a running gateway started with {@code --audit-log FILE}:
 * logins that succeed and fail on the Avatica and the Flight port are recorded with the front end;
 * {@code company_data._audit} reads the same through {@code jdbc:nql} and Flight SQL, each company
 * only its own; the file holds one JSON object per line and no password or secret.
 */
class AuditGatewayTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void loginsAndDefinitionsReachTheTableAndTheFileWithoutSecrets() throws Exception {
    Path wh = dir.resolve("wh");
    try (NqlEngine engine =
            NqlEngine.open(new EngineConfig(wh, null, null, null, List.of(), "admin-pw-9"));
        NqlSession admin = engine.trusted("admin")) {
      admin.execute("CREATE COMPANY acme").close();
      admin.execute("CREATE COMPANY globex").close();
      admin.execute("CREATE USER \"acme_user\" COMPANY acme PASSWORD 'acme-pw-9'").close();
      admin.execute("CREATE USER \"globex_user\" COMPANY globex PASSWORD 'globex-pw-9'").close();
    }
    Path log = dir.resolve("audit.jsonl");
    Files.writeString(log, "{\"earlier\":true}\n"); // appended to, never truncated
    GatewayConfig config =
        GatewayConfig.builder(wh)
            .jdbcPort(0)
            .flightPort(0)
            .metricsPort(0)
            .bindAddress("127.0.0.1")
            .auditLog(log.toString())
            .build();
    try (Gateway gateway = Gateway.start(config);
        BufferAllocator allocator = new RootAllocator()) {
      assertThatThrownBy(() -> connect(gateway, "acme_user", "wrong-guess-1").close())
          .isInstanceOf(SQLException.class);
      try (Connection acme = connect(gateway, "acme_user", "acme-pw-9");
          Statement st = acme.createStatement()) {
        st.execute(
            "CREATE SECRET \"pg\" TYPE POSTGRES URL 'jdbc:postgresql://h/d' USER 'u'"
                + " PASSWORD 'Secret-value-42'");
        assertThat(
                rows(
                    st,
                    "SELECT kind, action, user_name, outcome, detail FROM company_data._audit"
                        + " ORDER BY event_id"))
            .anyMatch(r -> r.startsWith("login|LOGIN|acme_user|failed|") && r.contains("avatica"))
            .anyMatch(r -> r.startsWith("login|LOGIN|acme_user|ok|"))
            .anyMatch(r -> r.startsWith("ddl|CREATE SECRET|acme_user|ok|"))
            .noneMatch(r -> r.contains("globex"));
        assertThatThrownBy(() -> st.execute("DELETE FROM company_data._audit"))
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42809"));
      }
      assertThatThrownBy(
              () ->
                  FlightClients.login(allocator, gateway.flightPort(), "globex_user", "wrong-2")
                      .close())
          .isInstanceOf(RuntimeException.class);
      try (FlightClients.Login globex =
          FlightClients.login(allocator, gateway.flightPort(), "globex_user", "globex-pw-9")) {
        List<String> rows =
            FlightClients.read(
                    globex.sql(),
                    globex
                        .sql()
                        .execute(
                            "SELECT user_name, outcome, detail FROM company_data._audit"
                                + " WHERE kind = 'login' ORDER BY event_id",
                            globex.auth()),
                    globex.auth())
                .rows();
        assertThat(rows)
            .anyMatch(r -> r.startsWith("globex_user|failed|") && r.contains("flight"))
            .anyMatch(r -> r.startsWith("globex_user|ok|") && r.contains("flight"))
            .noneMatch(r -> r.contains("acme"));
      }
    }
    List<String> lines = Files.readAllLines(log);
    assertThat(lines.get(0)).isEqualTo("{\"earlier\":true}");
    List<JsonNode> events = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      events.add(JSON.readTree(line)); // each line one JSON object
    }
    assertThat(events)
        .extracting(e -> e.get("action").asText() + ":" + e.get("outcome").asText())
        .contains("LOGIN:failed", "LOGIN:ok", "CREATE SECRET:ok");
    assertThat(events)
        .anyMatch(
            e ->
                e.get("user").asText().equals("globex_user")
                    && e.get("detail").get("front_end").asText().equals("flight")
                    && e.get("outcome").asText().equals("failed"));
    String all = String.join("\n", lines);
    assertThat(all)
        .doesNotContain(
            "wrong-guess-1", "wrong-2", "acme-pw-9", "globex-pw-9", "Secret-value-42", "admin-pw");
  }

  private static Connection connect(Gateway gateway, String user, String password)
      throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    return DriverManager.getConnection("jdbc:nql://127.0.0.1:" + gateway.jdbcPort(), p);
  }

  private static List<String> rows(Statement st, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> cells = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          cells.add(String.valueOf(rs.getObject(i)));
        }
        out.add(String.join("|", cells));
      }
    }
    return out;
  }
}
