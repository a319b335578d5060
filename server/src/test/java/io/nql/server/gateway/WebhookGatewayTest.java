package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.testing.WebhookReceiver;
import io.nql.planner.testing.WebhookReceiver.Answer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A gateway delivers a view's new rows by itself: over the real jdbc:nql driver a buyer creates a
 * view and a delivery to a receiver on loopback (which the operator allows), refreshes the view,
 * and the gateway's delivery scheduler (every 200 ms here) posts the run's rows — retrying the
 * batch the receiver fails first — while SHOW DELIVERIES hides the URL's secret.
 */
class WebhookGatewayTest {
  @Test
  void aRefreshedViewIsDeliveredWithoutAStatement() throws Exception {
    try (WebhookReceiver receiver =
            WebhookReceiver.start(
                (path, headers, previous) ->
                    headers.get("nql-batch").equals("2") && previous == 0
                        ? Answer.SERVER_ERROR
                        : Answer.OK);
        Gateway gateway =
            Gateway.start(
                TestWarehouse.config()
                    .deliveryInterval(Duration.ofMillis(200))
                    .webhookHosts("127.0.0.1")
                    .build())) {
      String url =
          "jdbc:nql://127.0.0.1:"
              + gateway.jdbcPort()
              + "?user=globex_user&password="
              + TestWarehouse.GLOBEX_PW;
      try (Connection c = DriverManager.getConnection(url);
          Statement s = c.createStatement()) {
        s.executeUpdate(
            "CREATE MATERIALIZED VIEW \"hooked\" AS SELECT order_id FROM acme.orders_public"
                + " NO LIMIT");
        try {
          assertThat(
                  refused(
                      s,
                      "CREATE DELIVERY \"out\" FOR MATERIALIZED VIEW \"hooked\" TO WEBHOOK"
                          + " 'https://hooks.example.com/in'"))
              .as("a host the operator did not list")
              .isEqualTo("42501");
          s.executeUpdate(
              "CREATE DELIVERY \"out\" FOR MATERIALIZED VIEW \"hooked\" TO WEBHOOK '"
                  + receiver.url("/in?key=s3cret")
                  + "' BATCH_ROWS = 1");
          long rows = s.executeUpdate("REFRESH MATERIALIZED VIEW \"hooked\"");
          assertThat(rows).isGreaterThan(1);
          long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (taken(receiver) < rows && System.nanoTime() < deadline) {
            Thread.sleep(100);
          }
          // the failed batch 2 waits for its retry (5 s), then every batch has been taken once
          assertThat(taken(receiver)).isEqualTo(rows);
          try (ResultSet rs = s.executeQuery("SHOW DELIVERIES")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("url")).isEqualTo(receiver.url("/in?***"));
            assertThat(rs.getLong("rows_delivered")).isEqualTo(rows);
            assertThat(rs.getLong("failed_attempts")).isEqualTo(1);
            assertThat(rs.getString("last_error")).startsWith("HTTP 500");
          }
        } finally {
          s.executeUpdate("DROP MATERIALIZED VIEW \"hooked\"");
        }
      }
    }
  }

  /** Distinct idempotency keys the receiver took. */
  private static long taken(WebhookReceiver receiver) {
    Set<String> keys = new HashSet<>();
    receiver.requests().stream().filter(r -> r.taken()).forEach(r -> keys.add(r.key()));
    return keys.size();
  }

  private static String refused(Statement s, String sql) {
    try {
      s.executeUpdate(sql);
    } catch (SQLException e) {
      return e.getSQLState();
    }
    throw new AssertionError("expected " + sql + " to fail");
  }
}
