package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Timeouts and cancels are errors, and they stop the work, on every front end: {@code jdbc:nql}
 * (the gateway's statement timeout, {@code setQueryTimeout}, {@code cancel()}), the official Flight
 * SQL JDBC driver and Arrow's {@link org.apache.arrow.flight.sql.FlightSqlClient} (the statement
 * timeout, a call deadline, CancelFlightInfo). Each statement computes for far longer than its
 * limit — while it is planned (a hundred four-table joins), before its first row (an aggregate over
 * a cross join) or while it streams — and must fail with SQLSTATE 57014 (never end as a short or
 * empty success). Then the CPU time of every gateway thread that computed for it (ThreadMXBean)
 * must stop growing within a bounded time, and the next statement answers correctly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatementStopTest {
  /** The gateway's statement timeout; client-side limits are shorter. */
  static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(2);

  /** When a client cancels. */
  static final Duration CANCEL_AFTER = Duration.ofSeconds(1);

  /** How long the work may go on after the client saw the error. */
  static final Duration GRACE = Duration.ofSeconds(1);

  /** The window in which the statement's threads must not compute any more. */
  static final Duration WINDOW = Duration.ofMillis(800);

  /**
   * CPU below which a thread counts as idle (bookkeeping, a safepoint). A thread that computed for
   * the statement may use at most a tenth of its earlier share of a core in the window, and at
   * least this much.
   */
  static final long MIN_BUSY_NANOS = 20_000_000L;

  /** Stands for {@link #planning(int)}: each attempt plans a statement of its own text. */
  static final String PLANNING = "planning";

  static final String AGGREGATE =
      "SELECT COUNT(*) FROM company_data.numbers a CROSS JOIN company_data.numbers b"
          + " CROSS JOIN company_data.numbers c";
  static final String STREAM =
      "SELECT a.n, b.n, c.n FROM company_data.numbers a CROSS JOIN company_data.numbers b"
          + " CROSS JOIN company_data.numbers c";

  /** Distinguishes the attempts' planning statements. */
  private static final java.util.concurrent.atomic.AtomicInteger ATTEMPT =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * A statement that takes seconds to plan and little to run: a hundred four-table chains, each
   * below the heuristic join ordering's threshold, so the optimizer searches every join order of
   * each. {@code seed} makes the text new, so that no attempt finds the plan an earlier one (or the
   * describe call of a Flight SQL client) left in the plan cache.
   */
  static String planning(int seed) {
    String tables =
        IntStream.range(0, 4)
            .mapToObj(i -> "company_data.numbers t" + i)
            .collect(Collectors.joining(", "));
    return IntStream.range(0, 100)
        .mapToObj(
            b ->
                "SELECT t0.n + "
                    + seed
                    + " FROM "
                    + tables
                    + " WHERE "
                    + IntStream.range(0, 3)
                        .mapToObj(i -> "t" + i + ".n = t" + (i + 1) + ".n + " + (b % 7 + 1))
                        .collect(Collectors.joining(" AND ")))
        .collect(Collectors.joining(" UNION ALL "));
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  Gateway gateway;
  BufferAllocator allocator;

  @BeforeAll
  void setUp() {
    gateway = Gateway.start(TestWarehouse.config().statementTimeout(STATEMENT_TIMEOUT).build());
    allocator = new RootAllocator();
  }

  @AfterAll
  void tearDown() throws Exception {
    gateway.close();
    allocator.close();
  }

  /** One way of running a statement past its limit. */
  interface Attempt {
    Outcome run(StatementStopTest t, String sql) throws Exception;
  }

  /**
   * What the client saw: rows (a success), or an error with the gateway's SQLSTATE, or an error the
   * client library raised itself without asking the gateway (its own deadline or cancel; then
   * {@code sqlState} is null and the gateway only learns that the call was abandoned).
   */
  record Outcome(boolean success, String sqlState, String message) {
    static Outcome rows(long n) {
      return new Outcome(true, null, "success after " + n + " rows");
    }

    static Outcome error(String sqlState, String message) {
      return new Outcome(false, sqlState, message);
    }
  }

  static Stream<Arguments> attempts() {
    Map<String, Attempt> ways = new java.util.LinkedHashMap<>();
    ways.put("jdbc:nql, statement timeout", (t, sql) -> t.jdbcNql(sql, 0, false));
    ways.put("jdbc:nql, setQueryTimeout", (t, sql) -> t.jdbcNql(sql, 1, false));
    ways.put("jdbc:nql, cancel", (t, sql) -> t.jdbcNql(sql, 0, true));
    ways.put("Flight SQL JDBC, statement timeout", (t, sql) -> t.flightJdbc(sql, false));
    ways.put("Flight SQL JDBC, cancel", (t, sql) -> t.flightJdbc(sql, true));
    ways.put("FlightSqlClient, statement timeout", (t, sql) -> t.flightSqlClient(sql, 0));
    ways.put("FlightSqlClient, call deadline", (t, sql) -> t.flightSqlClient(sql, 1));
    ways.put("FlightSqlClient, CancelFlightInfo", (t, sql) -> t.flightSqlClient(sql, -1));
    List<Arguments> out = new ArrayList<>();
    ways.forEach(
        (name, attempt) -> {
          // a stream stops as soon as it is not read: once per front end is enough
          List<String> shapes =
              name.endsWith("statement timeout")
                  ? List.of(PLANNING, AGGREGATE, STREAM)
                  : List.of(PLANNING, AGGREGATE);
          for (String sql : shapes) {
            String shape = sql == PLANNING ? "planning" : sql == AGGREGATE ? "aggregate" : "stream";
            out.add(Arguments.of(name + ", " + shape, attempt, sql));
          }
        });
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attempts")
  void theStatementFailsWith57014AndItsThreadsStop(String name, Attempt attempt, String sql)
      throws Exception {
    Map<Long, Long> before = cpu();
    long t0 = System.nanoTime();
    Outcome outcome =
        attempt.run(this, sql == PLANNING ? planning(ATTEMPT.incrementAndGet()) : sql);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(outcome.success()).as("%s: %s", name, outcome.message()).isFalse();
    if (outcome.sqlState() != null) {
      assertThat(outcome.sqlState()).as("%s: %s", name, outcome.message()).isEqualTo("57014");
    }
    assertThat(took)
        .as("%s: failed within the limit and the grace", name)
        .isLessThan(STATEMENT_TIMEOUT.plusSeconds(10));

    Map<Long, Long> atError = cpu();
    // The threads that computed for the statement: those that used the most CPU while it ran (the
    // build machine may be loaded, so "most" is relative to the busiest thread).
    long self = Thread.currentThread().getId();
    Map<Long, Long> used = new HashMap<>();
    atError.forEach(
        (id, nanos) -> {
          if (id != self) {
            used.put(id, nanos - before.getOrDefault(id, 0L));
          }
        });
    long most = used.values().stream().mapToLong(Long::longValue).max().orElse(0);
    List<Long> busy =
        used.entrySet().stream()
            .filter(e -> e.getValue() >= Math.max(MIN_BUSY_NANOS, most / 2))
            .map(Map.Entry::getKey)
            .toList();
    if (sql != STREAM) {
      // A stream computes as fast as it is read, on whichever threads serve the reads; the other
      // shapes compute on one gateway thread, which must have been busy.
      assertThat(busy).as("%s: threads that computed for the statement", name).isNotEmpty();
    }
    Thread.sleep(GRACE.toMillis());
    Map<Long, Long> from = cpu();
    Thread.sleep(WINDOW.toMillis());
    Map<Long, Long> to = cpu();
    for (long id : busy) {
      // a thread still computing would use its share of a core as it did while the statement ran
      double share = (double) used.get(id) / took.toNanos();
      long allowed = Math.max(MIN_BUSY_NANOS, (long) (0.1 * share * WINDOW.toNanos()));
      long after = to.getOrDefault(id, 0L) - from.getOrDefault(id, 0L);
      ThreadInfo info = THREADS.getThreadInfo(id, 20);
      assertThat(after)
          .as(
              "%s: CPU of thread %s in %s, %s after the error (%.0f%% of a core before): %s",
              name,
              info == null ? id : info.getThreadName(),
              WINDOW,
              GRACE,
              100 * share,
              info == null ? "(ended)" : stack(info))
          .isLessThan(allowed);
    }

    // the next statement runs, and answers right
    long t1 = System.nanoTime();
    try (Connection c = jdbcNql();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM company_data.numbers")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(TestWarehouse.NUMBERS);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(5));
  }

  private static String stack(ThreadInfo info) {
    return Stream.of(info.getStackTrace())
        .map(StackTraceElement::toString)
        .collect(Collectors.joining(" <- "));
  }

  /** CPU time of every live thread, by id. */
  private static Map<Long, Long> cpu() {
    Map<Long, Long> out = new HashMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      long nanos = THREADS.getThreadCpuTime(id);
      if (nanos >= 0) {
        out.put(id, nanos);
      }
    }
    return out;
  }

  // ---- front ends

  private Connection jdbcNql() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:nql://127.0.0.1:"
            + gateway.jdbcPort()
            + "?user=acme_user&password="
            + TestWarehouse.ACME_PW);
  }

  private Outcome jdbcNql(String sql, int queryTimeout, boolean cancel) throws Exception {
    try (Connection c = jdbcNql();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(queryTimeout);
      return jdbc(s, sql, cancel);
    }
  }

  private Outcome flightJdbc(String sql, boolean cancel) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:arrow-flight-sql://127.0.0.1:"
                    + gateway.flightPort()
                    + "/?useEncryption=false&user=acme_user&password="
                    + TestWarehouse.ACME_PW);
        Statement s = c.createStatement()) {
      return jdbc(s, sql, cancel);
    }
  }

  /** Runs and reads a statement, cancelled from another thread after {@link #CANCEL_AFTER}. */
  private static Outcome jdbc(Statement s, String sql, boolean cancel) throws Exception {
    CompletableFuture<Outcome> run =
        CompletableFuture.supplyAsync(
            () -> {
              long rows = 0;
              try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                  rows++;
                }
                return Outcome.rows(rows);
              } catch (SQLException | RuntimeException e) {
                // the Flight SQL JDBC driver's ResultSet.next throws its Flight errors unchecked
                return outcome(e);
              }
            });
    if (cancel) {
      Thread.sleep(CANCEL_AFTER.toMillis());
      // A cancel may land before the statement starts: repeat it until the statement ends.
      while (!run.isDone()) {
        s.cancel();
        try {
          run.get(300, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException running) {
          // cancel again
        }
      }
    }
    return run.get(60, TimeUnit.SECONDS);
  }

  /** {@code [STATUS: ]SQLSTATE: message}, a gateway error's description in a Flight error. */
  private static final Pattern DESCRIPTION =
      Pattern.compile("^(?:[A-Z_]+: )?([0-9A-Z]{5}): (.*)$", Pattern.DOTALL);

  /**
   * A JDBC error: its own SQLSTATE ({@code jdbc:nql}), or, for the Flight SQL JDBC driver (which
   * keeps the gateway's SQLSTATE only in its Flight error's description), the description's first
   * word; an error without one was raised by the driver itself.
   */
  private static Outcome outcome(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().equals("FlightRuntimeException")) {
        Matcher m = DESCRIPTION.matcher(String.valueOf(t.getMessage()));
        return m.matches()
            ? Outcome.error(m.group(1), m.group(2))
            : Outcome.error(null, "the driver's own: " + t.getMessage());
      }
    }
    return e instanceof SQLException sql
        ? Outcome.error(sql.getSQLState(), e.getMessage())
        : Outcome.error("not an SQLException", String.valueOf(e));
  }

  /**
   * Through FlightSqlClient: {@code deadline} 0 relies on the statement timeout, a positive one
   * sets the GetFlightInfo's and the DoGet's call deadlines in seconds, -1 cancels with
   * CancelFlightInfo after 500 ms. A new query is planned in its GetFlightInfo, so a statement that
   * takes long to plan fails there (CancelFlightInfo needs the FlightInfo: the statement timeout
   * stops such a statement).
   */
  private Outcome flightSqlClient(String sql, int deadline) throws Exception {
    try (FlightClients.Login acme =
        FlightClients.login(allocator, gateway.flightPort(), "acme_user", TestWarehouse.ACME_PW)) {
      FlightInfo info;
      try {
        info =
            deadline > 0
                ? acme.sql()
                    .execute(sql, acme.auth(), CallOptions.timeout(deadline, TimeUnit.SECONDS))
                : acme.sql().execute(sql, acme.auth());
      } catch (FlightRuntimeException e) {
        return flightError(e);
      }
      CompletableFuture<Outcome> run =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  var read =
                      deadline > 0
                          ? FlightClients.read(
                              acme.sql(),
                              info,
                              acme.auth(),
                              CallOptions.timeout(deadline, TimeUnit.SECONDS))
                          : FlightClients.read(acme.sql(), info, acme.auth());
                  return Outcome.rows(read.rows().size());
                } catch (FlightRuntimeException e) {
                  return flightError(e);
                } catch (Exception e) {
                  return Outcome.error("not a Flight error", String.valueOf(e));
                }
              });
      if (deadline < 0) {
        Thread.sleep(CANCEL_AFTER.toMillis());
        acme.sql().cancelFlightInfo(new CancelFlightInfoRequest(info), acme.auth());
      }
      return run.get(60, TimeUnit.SECONDS);
    }
  }

  /** The gateway's errors carry the SQLSTATE trailer; the client's own do not. */
  private static Outcome flightError(FlightRuntimeException e) {
    var trailers = e.status().metadata();
    return Outcome.error(
        trailers != null && trailers.containsKey("x-nql-sqlstate")
            ? trailers.get("x-nql-sqlstate")
            : null,
        e.getMessage());
  }
}
