package io.nql.planner.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the store raises when its database cannot be reached or the store is closed: {@code
 * IO_ERROR} (SQLSTATE 58030) naming the action, never a password, neither in the message nor in the
 * log.
 */
class StoreFailureTest {
  private static final String PASSWORD = "s3cret-Pa55word";

  @TempDir Path dir;

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream stderr;

  @BeforeEach
  void captureLog() {
    stderr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreLog() {
    System.setErr(stderr);
  }

  private String logged() {
    return log.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anUnreachableDatabaseCannotBeOpened() {
    NqlException e =
        catchThrowableOfType(
            NqlException.class,
            () ->
                MetadataStore.open(
                        "jdbc:postgresql://127.0.0.1:1/nql_test?password=" + PASSWORD,
                        "nql",
                        PASSWORD)
                    .close());
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
    assertThat(e.sqlState()).isEqualTo("58030");
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot open metadata store jdbc:postgresql://127.0.0.1:1/nql_test: Connection refused");
    assertThat(logged()).doesNotContain(PASSWORD);
  }

  @Test
  void aDatabaseThatGoesAwayFailsEachCallWithItsSqlState() throws SQLException {
    Server server =
        Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString()).start();
    MetadataStore store;
    try {
      // The pool retries a vanished database until it times out, then reports the last failure;
      // the wait must outlast one refused attempt also on a loaded machine (at 500 ms CI once
      // timed out before any attempt ended, which reads as "all connections are busy").
      store =
          JdbcMetadataStore.open(
              new StoreConfig(
                  "jdbc:h2:tcp://localhost:"
                      + server.getPort()
                      + "/./nql;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                  "nql",
                  PASSWORD),
              Duration.ofSeconds(2));
      store.createCompany("acme");
    } finally {
      server.stop();
    }
    try (store) {
      NqlException e = catchThrowableOfType(NqlException.class, store::companies);
      assertThat(e).isNotNull();
      assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
      assertThat(e.getMessage())
          .isEqualTo("Cannot list companies: the metadata store failed (SQLSTATE 90067)");
    }
    assertThat(logged())
        .contains("Metadata store failed to list companies")
        .doesNotContain(PASSWORD);
  }

  @Test
  void aClosedStoreRefusesWork() {
    MetadataStore store = MetadataStore.embedded(dir.resolve("wh"));
    store.createCompany("acme");
    store.close();

    NqlException e = catchThrowableOfType(NqlException.class, store::companies);
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    assertThat(e.getMessage()).isEqualTo("Cannot connect to metadata store: the store is closed");
  }

  @Test
  void aWriterInterruptedMidWriteDoesNotCloseTheEmbeddedStore() throws Exception {
    // A gateway interrupts a statement's thread when it stops it (shutdown past the grace period);
    // the thread may be writing the ledger at that moment. With a plain FileChannel H2 would see
    // ClosedByInterruptException and close the database under every other session of the JVM.
    try (MetadataStore store = MetadataStore.embedded(dir.resolve("wh"))) {
      store.createCompany("acme");
      java.util.concurrent.atomic.AtomicBoolean stop =
          new java.util.concurrent.atomic.AtomicBoolean();
      Thread writer =
          new Thread(
              () -> {
                for (int i = 0; !stop.get(); i++) {
                  try {
                    store.createCompany("c" + i + "x");
                  } catch (NqlException ignored) {
                    // the interrupted write itself may fail; the store must stay open
                  }
                }
              });
      writer.start();
      for (int i = 0; i < 200; i++) {
        writer.interrupt();
        Thread.sleep(2);
      }
      stop.set(true);
      writer.join();
      assertThat(store.company("acme")).isPresent();
      assertThat(store.createCompany("after").slug()).isEqualTo("after");
    }
  }

  @Test
  void workWaitsForABusyPoolThenGivesUp() {
    StoreConfig config = JdbcMetadataStore.embeddedConfig(dir.resolve("wh"));
    try (Database db = Database.open(config, Duration.ofMillis(300))) {
      NqlException e = catchThrowableOfType(NqlException.class, () -> readHolding(db, 8));
      assertThat(e).isNotNull();
      assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
      assertThat(e.getMessage())
          .isEqualTo("Cannot connect to metadata store: all connections are busy; try again later");
      assertThat(readHolding(db, 7)).isTrue();
    }
  }

  /** Reads while holding {@code held} other connections of the pool (8 at most). */
  private static boolean readHolding(Database db, int held) {
    return db.read(
        "read holding " + held, h -> held == 0 ? h.exists("SELECT 1") : readHolding(db, held - 1));
  }
}
