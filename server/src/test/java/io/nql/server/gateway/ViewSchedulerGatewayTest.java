package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A gateway runs a scheduled materialized view by itself: a view due every second is run by the
 * gateway's scheduler (every 200 ms here) without any statement, each run charged as the buyer's,
 * and stops running when dropped; over the real jdbc:nql driver.
 */
class ViewSchedulerGatewayTest {
  private static long runs(Statement s, String view) throws Exception {
    try (ResultSet rs = s.executeQuery("SHOW MATERIALIZED VIEWS")) {
      while (rs.next()) {
        if (rs.getString("name").equals(view)) {
          return rs.getLong("runs");
        }
      }
    }
    return -1;
  }

  private static long rows(Statement s) throws Exception {
    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM company_data.every_second")) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }

  @Test
  void aDueViewRunsWithoutAStatement() throws Exception {
    try (Gateway gateway =
        Gateway.start(
            TestWarehouse.config().viewSchedulerInterval(Duration.ofMillis(200)).build())) {
      String url =
          "jdbc:nql://127.0.0.1:"
              + gateway.jdbcPort()
              + "?user=globex_user&password="
              + TestWarehouse.GLOBEX_PW;
      try (Connection c = DriverManager.getConnection(url);
          Statement s = c.createStatement()) {
        s.executeUpdate(
            "CREATE MATERIALIZED VIEW \"every_second\" REFRESH_SCHEDULE = '* * * * * *' AS"
                + " SELECT order_id FROM acme.orders_public LIMIT 1 USD");
        try {
          // one row a committed run (1 USD each): the run at CREATE and two scheduled ones
          long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
          while (rows(s) < 3 && System.nanoTime() < deadline) {
            Thread.sleep(100);
          }
          assertThat(rows(s)).isGreaterThanOrEqualTo(3);
          assertThat(runs(s, "every_second")).isGreaterThanOrEqualTo(3);
        } finally {
          s.executeUpdate("DROP MATERIALIZED VIEW \"every_second\"");
        }
      }
    }
  }
}
