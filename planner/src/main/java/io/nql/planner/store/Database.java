package io.nql.planner.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool.PoolInitializationException;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata database: a HikariCP pool migrated by Flyway, and units of work run on one of its
 * connections with every failure turned into an {@link NqlException} that names the action.
 */
final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private static final int POOL_SIZE = 8;

  /** How long a unit of work waits for a connection when all are lent or none can be opened. */
  static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(5);

  private final StoreConfig config;
  private final HikariDataSource pool;

  private Database(StoreConfig config, HikariDataSource pool) {
    this.config = config;
    this.pool = pool;
  }

  /**
   * Opens the pool and migrates the database to the current schema.
   *
   * @param connectionTimeout how long a unit of work waits for a connection
   * @throws NqlException INVALID_PARAMETER_VALUE for a database other than PostgreSQL or H2,
   *     IO_ERROR when the database cannot be reached or migrated
   */
  static Database open(StoreConfig config, Duration connectionTimeout) {
    if (!config.url().startsWith("jdbc:h2:") && !config.url().startsWith("jdbc:postgresql:")) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot open metadata store %s: only PostgreSQL and embedded databases are supported",
          safeUrl(config.url()));
    }
    HikariDataSource pool = null;
    try {
      pool = new HikariDataSource(poolConfig(config, connectionTimeout));
      Flyway.configure(Database.class.getClassLoader())
          .dataSource(pool)
          .locations("classpath:db/migration")
          .failOnMissingLocations(true)
          .load()
          .migrate();
      return new Database(config, pool);
    } catch (PoolInitializationException | FlywayException e) {
      if (pool != null) {
        pool.close();
      }
      LOG.error("Cannot open metadata store {}", safeUrl(config.url()), e);
      throw NqlException.of(
          ErrorCode.IO_ERROR,
          "Cannot open metadata store %s: %s",
          safeUrl(config.url()),
          firstLine(rootMessage(e)));
    }
  }

  /**
   * The pool: at most {@value #POOL_SIZE} connections, opened as needed; one is kept open so that
   * an embedded database stays open between units of work. Opening checks that the database can be
   * reached.
   */
  private static HikariConfig poolConfig(StoreConfig config, Duration connectionTimeout) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("nql-metadata");
    hikari.setJdbcUrl(config.url());
    hikari.setUsername(config.user());
    hikari.setPassword(config.password());
    hikari.setMaximumPoolSize(POOL_SIZE);
    hikari.setMinimumIdle(1);
    hikari.setAutoCommit(true);
    hikari.setConnectionTimeout(connectionTimeout.toMillis());
    hikari.setValidationTimeout(VALIDATION_TIMEOUT.toMillis());
    return hikari;
  }

  StoreConfig config() {
    return config;
  }

  /** Reports the pool to {@code tracker}; once. */
  void trackPool(com.zaxxer.hikari.metrics.MetricsTrackerFactory tracker) {
    pool.setMetricsTrackerFactory(tracker);
  }

  /** Work against one connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Handle handle) throws Exception;
  }

  /** Runs {@code work} on a connection in auto-commit mode; {@code what} names it in errors. */
  <T> T read(String what, Work<T> work) {
    return withConnection(what, false, work);
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
   */
  <T> T inTransaction(String what, Work<T> work) {
    return withConnection(what, true, work);
  }

  /**
   * Runs {@code work} in one transaction that changes the catalog (companies, users, datasets,
   * access rules, mappings, attributes): the catalog's DDL version grows in the same transaction,
   * so cached plans and cached catalog reads are never used past the change.
   */
  <T> T inCatalogTransaction(String what, Work<T> work) {
    return inTransaction(
        what,
        h -> {
          T result = work.run(h);
          h.update("UPDATE catalog_version SET ddl_version = ddl_version + 1 WHERE id = 1");
          return result;
        });
  }

  private <T> T withConnection(String what, boolean transactional, Work<T> work) {
    try {
      try {
        return attempt(what, transactional, work);
      } catch (Lost lost) {
        // The pool lent a connection the server had already closed (a restart, or a backend
        // terminated by an administrator): nothing ran, so the work runs once more on a fresh one.
        // The others the pool holds idle are as likely dead: they are closed, not lent.
        LOG.info("Metadata store connection was lost before {}; retrying once", what);
        pool.getHikariPoolMXBean().softEvictConnections();
        try {
          return attempt(what, transactional, work);
        } catch (Lost again) {
          throw again.failure;
        }
      }
    } catch (NqlException | Error e) {
      throw e;
    } catch (SQLException e) {
      throw storeFailure(what, e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new NqlException(
          ErrorCode.INTERNAL_ERROR, "Cannot " + what + ": " + firstLine(rootMessage(e)), e);
    }
  }

  /**
   * A connection failure before anything of the work could have been committed: in auto-commit mode
   * before the first statement answered, in a transaction before the commit was sent.
   */
  private static final class Lost extends Exception {
    private final SQLException failure;

    Lost(SQLException failure) {
      super(failure.getMessage(), failure, false, false);
      this.failure = failure;
    }
  }

  private <T> T attempt(String what, boolean transactional, Work<T> work) throws Exception {
    try (Connection c = connect(what)) {
      boolean committing = false;
      Handle handle = new Handle(c);
      try {
        if (!transactional) {
          return work.run(handle);
        }
        c.setAutoCommit(false);
        try {
          T result = work.run(handle);
          committing = true;
          c.commit();
          return result;
        } catch (Throwable e) {
          if (!committing) {
            rollbackQuietly(c);
          }
          throw e;
        }
      } catch (SQLException e) {
        if (isConnectionFailure(e)) {
          // Not to be lent again: HikariCP evicts on 08xxx by itself, not on a failure without a
          // SQLSTATE.
          pool.evictConnection(c);
          if (!committing && (transactional || neverRan(e, handle))) {
            throw new Lost(e);
          }
        }
        throw e;
      }
    }
  }

  private Connection connect(String what) {
    if (pool.isClosed()) {
      throw closed();
    }
    try {
      return pool.getConnection();
    } catch (SQLException e) {
      if (e.getCause() instanceof InterruptedException) {
        throw new NqlException(
            ErrorCode.QUERY_CANCELED, "Cannot connect to metadata store: interrupted", e);
      }
      if (pool.isClosed()) {
        throw closed();
      }
      if (e instanceof SQLTransientConnectionException
          && e.getSQLState() == null
          && e.getCause() == null) {
        throw new NqlException(
            ErrorCode.IO_ERROR,
            "Cannot connect to metadata store: all connections are busy; try again later",
            e);
      }
      throw storeFailure(what, e);
    }
  }

  private static NqlException closed() {
    return NqlException.of(
        ErrorCode.INTERNAL_ERROR, "Cannot connect to metadata store: the store is closed");
  }

  /** Closes the pool and its connections. */
  @Override
  public void close() {
    pool.close();
  }

  /** Now, at the microsecond precision both databases keep. */
  static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.warn("Rollback failed", e);
    }
  }

  /**
   * Whether an auto-commit statement that failed on a lost connection cannot have changed anything:
   * it was the first on its connection and the server said it was terminated (57P0x), not a broken
   * socket whose statement may have committed.
   */
  private static boolean neverRan(SQLException e, Handle handle) {
    return handle.statements() <= 1
        && e.getSQLState() != null
        && e.getSQLState().startsWith("57P0");
  }

  private static boolean isConnectionFailure(SQLException e) {
    String state = e.getSQLState();
    // 57P01-57P03: the server is shutting down, crashed, or not yet accepting connections
    return state == null || state.startsWith("08") || state.startsWith("57P0");
  }

  /** When a store failure was last logged with its stack trace (nanoTime), or 0. */
  private static final java.util.concurrent.atomic.AtomicLong LAST_TRACE =
      new java.util.concurrent.atomic.AtomicLong();

  private static final long TRACE_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

  /**
   * The failure as the caller sees it, logged: with its stack trace at most once a minute, so an
   * outage probed every second by a readiness check logs one line per failure, not a trace each.
   */
  private static NqlException storeFailure(String what, SQLException e) {
    long now = System.nanoTime();
    long last = LAST_TRACE.get();
    if ((last == 0 || now - last >= TRACE_EVERY_NANOS) && LAST_TRACE.compareAndSet(last, now)) {
      LOG.error("Metadata store failed to {}", what, e);
    } else {
      LOG.error(
          "Metadata store failed to {}: SQLSTATE {}: {}",
          what,
          e.getSQLState(),
          firstLine(rootMessage(e)));
    }
    return NqlException.of(
        ErrorCode.IO_ERROR,
        "Cannot %s: the metadata store failed (SQLSTATE %s)",
        what,
        e.getSQLState() == null ? "unknown" : e.getSQLState());
  }

  /** A user-supplied name made safe for a one-line message. */
  static String display(String s) {
    if (s == null) {
      return "(null)";
    }
    String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
    return shown
        .codePoints()
        .map(cp -> Character.isISOControl(cp) ? '?' : cp)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }

  /** The URL without parameters, which may hold credentials. */
  static String safeUrl(String url) {
    int cut = url.length();
    for (char ch : new char[] {'?', ';'}) {
      int i = url.indexOf(ch);
      if (i >= 0 && i < cut) {
        cut = i;
      }
    }
    return url.substring(0, cut);
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return message == null || message.isBlank() ? "unexpected failure" : message;
  }

  static String firstLine(String s) {
    String line = s.strip();
    int nl = line.indexOf('\n');
    return nl < 0 ? line : line.substring(0, nl).strip();
  }
}
