package io.nql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.meta.EmbeddedEngines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Columnar frames in-process ({@code jdbc:nql:embedded:}), where the next frame is produced by the
 * engine on the driver's fetching thread while the application reads the current one: the result is
 * whole and in order, and a close, a cancel or an error while a frame is fetched ahead leaves no
 * Arrow memory behind and never looks like the end of the rows.
 */
class EmbeddedResultFramesTest {
  private static final int NUMBERS = 1_000;
  private static final String CROSS_JOIN =
      "SELECT a.n * 1000 + b.n AS i, b.n FROM company_data.numbers a"
          + " CROSS JOIN company_data.numbers b";

  @TempDir static Path dir;
  static String url;

  @BeforeAll
  static void setUp() throws Exception {
    Path ingest = dir.resolve("incoming");
    Path area = Files.createDirectories(ingest.resolve("frames"));
    StringBuilder numbers = new StringBuilder("n\n");
    for (int i = 0; i < NUMBERS; i++) {
      numbers.append(i).append('\n');
    }
    Files.writeString(area.resolve("numbers.csv"), numbers);
    System.setProperty("nql.ingest.roots", ingest.toString());
    url = "jdbc:nql:embedded:" + dir.resolve("wh");
    try (Connection admin = DriverManager.getConnection(url + "?user=admin");
        Statement s = admin.createStatement()) {
      s.executeUpdate("CREATE COMPANY frames");
      s.executeUpdate("CREATE USER \"frames_user\" COMPANY frames PASSWORD 'frames-secret-1'");
    }
    try (Connection c = connect("columnar");
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "COPY INTO company_data.numbers FROM '"
              + area.resolve("numbers.csv")
              + "' HEADER = TRUE");
    }
  }

  static Connection connect(String encoding) throws SQLException {
    return DriverManager.getConnection(url + "?user=frames_user&frame_encoding=" + encoding);
  }

  @Test
  void rowsComeInColumnarFramesUnlessStandardOnesAreAskedFor() throws Exception {
    for (String encoding : new String[] {"columnar", "standard"}) {
      try (Connection c = connect(encoding);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(CROSS_JOIN)) {
        assertThat(rs.unwrap(NqlResultSet.class).columnar()).isEqualTo(encoding.equals("columnar"));
        long expected = 0;
        while (rs.next()) {
          assertThat(rs.getLong(1)).isEqualTo(expected);
          assertThat(rs.getInt(2)).isEqualTo((int) (expected % NUMBERS));
          expected++;
        }
        assertThat(expected).isEqualTo((long) NUMBERS * NUMBERS);
      }
    }
    assertNoArrowMemory();
  }

  @Test
  void aResultClosedWhileTheNextFrameIsFetchedLeavesNothingBehind() throws Exception {
    try (Connection c = connect("columnar");
        Statement s = c.createStatement()) {
      for (int i = 0; i < 5; i++) {
        ResultSet rs = s.executeQuery(CROSS_JOIN);
        for (int r = 0; r < 1 + i * 30_000; r++) {
          assertThat(rs.next()).isTrue();
        }
        rs.close();
      }
      ResultSet open = s.executeQuery(CROSS_JOIN);
      assertThat(open.next()).isTrue();
    }
    assertNoArrowMemory();
  }

  @Test
  void aCancelWhileTheNextFrameIsFetchedFailsWith57014() throws Exception {
    try (Connection c = connect("columnar");
        Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery(CROSS_JOIN);
      assertThat(rs.next()).isTrue();
      s.cancel();
      assertThatThrownBy(
              () -> {
                while (rs.next()) {
                  // the rows already fetched may still be read
                }
              })
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
      try (ResultSet again = s.executeQuery("SELECT COUNT(*) FROM company_data.numbers")) {
        assertThat(again.next()).isTrue();
        assertThat(again.getLong(1)).isEqualTo(NUMBERS);
      }
    }
    assertNoArrowMemory();
  }

  @Test
  void anErrorInAFrameFetchedAheadFailsNextEveryTime() throws Exception {
    try (Connection c = connect("columnar");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT i, 1 / (i - 700000) AS x FROM (" + CROSS_JOIN + ") t")) {
      long read = 0;
      SQLException failure = null;
      try {
        while (rs.next()) {
          read++;
        }
      } catch (SQLException e) {
        failure = e;
      }
      assertThat((Object) failure).isNotNull();
      assertThat(failure.getSQLState()).isEqualTo("22012");
      assertThat(read).isLessThan(700_000);
      assertThatThrownBy(rs::next)
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22012"));
    }
    assertNoArrowMemory();
  }

  private static void assertNoArrowMemory() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (EmbeddedEngines.meta(dir.resolve("wh").toString()).allocatedBytes() != 0
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(EmbeddedEngines.meta(dir.resolve("wh").toString()).allocatedBytes()).isZero();
  }
}
