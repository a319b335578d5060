package io.nql.planner.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.result.ResultColumn;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Common column names, written without quotes, in each {@link Use}: NQL runs every statement that
 * PostgreSQL accepts, except for the names in {@link #RESERVED}, which NQL keeps reserved on
 * purpose. The names in {@link #NAMES} NQL accepts in every use, whatever PostgreSQL does (it
 * refuses {@code SELECT 1 year}, for instance), and each is checked to name the dataset's column.
 *
 * <p>PostgreSQL's answer comes from running the same statement there ({@code NQL_TEST_PG_URL},
 * {@code NQL_TEST_PG_USER}, {@code NQL_TEST_PG_PASSWORD}, as for the metadata store's contract).
 * When it is unreachable the comparison is skipped, unless {@code nql.test.postgres=required} (CI
 * sets it); NQL's acceptance of the names is asserted either way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NqlKeywordsTest {
  /** Names NQL accepts without quotes in every use. */
  private static final List<String> NAMES =
      List.of(
          // time
          "year",
          "month",
          "day",
          "hour",
          "minute",
          "second",
          "week",
          "quarter",
          "epoch",
          "date",
          "time",
          "timestamp",
          "datetime",
          "zone",
          "start",
          "end",
          // what a measurement is called
          "value",
          "count",
          "sum",
          "min",
          "max",
          "avg",
          "rank",
          "percent",
          "position",
          "size",
          "level",
          "scale",
          "floor",
          "upper",
          "lower",
          "power",
          "mod",
          "first",
          "last",
          "one",
          // what a thing is called
          "name",
          "type",
          "status",
          "state",
          "result",
          "language",
          "source",
          "role",
          "data",
          "comment",
          "key",
          "text",
          "domain",
          "version",
          "path",
          "file",
          "format",
          "schema",
          "view",
          "index",
          "action",
          "description",
          "location",
          "global",
          "local",
          "method",
          "mode",
          "module",
          "object",
          "output",
          "owner",
          "session",
          "space",
          "system",
          "sequence",
          "section",
          "identity",
          "returns",
          "match",
          "member",
          "old",
          "uuid",
          // NQL's own words
          "budget",
          "company",
          "dataset",
          "rule",
          "share",
          "password",
          "header",
          "copy");

  /**
   * Common names that NQL keeps reserved, though PostgreSQL accepts them in some use (at least
   * after AS, where PostgreSQL takes any word), and why.
   */
  private static final Map<String, String> RESERVED =
      Map.of(
          "user",
          "USER is the current user wherever an expression may stand, a column of that name"
              + " could not be read; PostgreSQL too refuses it as a column name",
          "order",
          "ORDER BY follows a FROM item or a select item, which an alias would swallow",
          "group",
          "GROUP BY follows a FROM item, which an alias would swallow",
          "limit",
          "LIMIT, also NQL's budget clause, follows a FROM item or a select item",
          "range",
          "OVER (RANGE ...) would read it as the name of a window",
          "partition",
          "OVER (PARTITION BY ...) would read it as the name of a window",
          "filter",
          "COUNT(*) FILTER (WHERE ...) follows a call, which an alias would swallow (a JavaCC"
              + " choice conflict)");

  /** Where a name is written, as NQL and PostgreSQL spell the same statement. */
  enum Use {
    COLUMN("CREATE DATASET t (%s INTEGER)", "CREATE TEMP TABLE t (%s INTEGER)"),
    ALIAS_AS("SELECT 1 AS %s", "SELECT 1 AS %s"),
    ALIAS("SELECT 1 %s", "SELECT 1 %s"),
    WHERE(
        "SELECT %1$s FROM company_data.words WHERE %1$s = 1",
        "SELECT %1$s FROM words WHERE %1$s = 1"),
    ORDER_BY(
        "SELECT %1$s FROM company_data.words ORDER BY %1$s",
        "SELECT %1$s FROM words ORDER BY %1$s"),
    TABLE_ALIAS_AS(
        "SELECT %1$s.x FROM company_data.words AS %1$s", "SELECT %1$s.x FROM words AS %1$s"),
    TABLE_ALIAS("SELECT %1$s.x FROM company_data.words %1$s", "SELECT %1$s.x FROM words %1$s");

    private final String nql;
    private final String postgres;

    Use(String nql, String postgres) {
      this.nql = nql;
      this.postgres = postgres;
    }

    String nql(String name) {
      return String.format(Locale.ROOT, nql, name);
    }

    String postgres(String name) {
      return String.format(Locale.ROOT, postgres, name);
    }

    /** The statement answers with one column, which should be the name. */
    boolean namesAColumn() {
      return this != COLUMN && !name().startsWith("TABLE_ALIAS");
    }
  }

  private static final String PG_URL =
      env("NQL_TEST_PG_URL", "jdbc:postgresql://localhost:5432/nql_test");
  private static final String PG_USER = env("NQL_TEST_PG_USER", "nql");
  private static final String PG_PASSWORD = env("NQL_TEST_PG_PASSWORD", "nql");

  @TempDir static Path dir;

  private NqlEngine engine;
  private NqlSession session;

  /** NQL's answer for each use of each name, computed once: empty when it runs the statement. */
  private final Map<String, Optional<String>> refusals = new HashMap<>();

  @BeforeAll
  void createDatasetWithEveryName() {
    engine = NqlEngine.open(new EngineConfig(dir.resolve("wh"), null, null, null, List.of(), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      admin.execute("CREATE COMPANY acme").close();
      admin.execute("CREATE USER \"acme_user\" COMPANY acme PASSWORD 'acme-pw-1'").close();
    }
    session = engine.trusted("acme_user");
    // The names as columns of one dataset, unquoted: this runs CREATE DATASET with all of them.
    String columns =
        Stream.concat(
                NAMES.stream().map(n -> n + " INTEGER"),
                RESERVED.keySet().stream().map(n -> '"' + n + "\" INTEGER"))
            .collect(Collectors.joining(", "));
    session.execute("CREATE DATASET words (x INTEGER, " + columns + ")").close();
  }

  @AfterAll
  void close() {
    session.close();
    engine.close();
  }

  @Test
  void listsEnoughNames() {
    assertThat(NAMES).hasSizeGreaterThanOrEqualTo(60).doesNotHaveDuplicates();
    assertThat(NAMES).doesNotContainAnyElementsOf(RESERVED.keySet());
  }

  @Test
  void everyNameIsAcceptedInEveryUse() {
    List<String> failures = new ArrayList<>();
    for (String name : NAMES) {
      for (Use use : Use.values()) {
        String refusal = nqlRefusal(use, name);
        if (refusal != null) {
          failures.add(use.nql(name) + ": " + refusal);
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void reservedNamesAreRefusedWithASyntaxError() {
    for (String name : RESERVED.keySet()) {
      NqlParserTestSupport.assertFails(
          Use.ALIAS_AS.nql(name), ErrorCode.SYNTAX_ERROR, "\"" + name + "\"");
    }
  }

  @Test
  void nqlAcceptsWhatPostgresAccepts() throws SQLException {
    try (Connection pg = postgres()) {
      Map<String, String> failures = new TreeMap<>();
      Set<String> reservedThatDiffer = new LinkedHashSet<>();
      for (String name : Stream.concat(NAMES.stream(), RESERVED.keySet().stream()).toList()) {
        for (Use use : Use.values()) {
          String pgRefusal = postgresRefusal(pg, use.postgres(name));
          String refusal = nqlRefusal(use, name);
          if (pgRefusal == null && refusal != null) {
            if (RESERVED.containsKey(name)) {
              reservedThatDiffer.add(name);
            } else {
              failures.put(use.nql(name), refusal);
            }
          }
        }
      }
      assertThat(failures).as("accepted by PostgreSQL, refused by NQL").isEmpty();
      // Every exception is one: PostgreSQL accepts the name somewhere NQL refuses it.
      assertThat(reservedThatDiffer).containsExactlyInAnyOrderElementsOf(RESERVED.keySet());
    }
  }

  /** Null when NQL runs the statement (and, where it answers a column, names it so), else why. */
  private String nqlRefusal(Use use, String name) {
    return refusals
        .computeIfAbsent(use + " " + name, k -> Optional.ofNullable(run(use, name)))
        .orElse(null);
  }

  private String run(Use use, String name) {
    String sql = use.nql(name);
    try {
      if (use == Use.COLUMN) {
        NqlParser.parse(sql);
        return null;
      }
      try (StatementResult r = session.execute(sql)) {
        if (!use.namesAColumn() || !NAMES.contains(name)) {
          return null;
        }
        List<ResultColumn> columns = r.columns();
        if (columns.size() != 1 || !columns.get(0).name().equals(name)) {
          return "answers columns " + columns;
        }
        if (use != Use.ALIAS && use != Use.ALIAS_AS && columns.get(0).jdbcType() != Types.INTEGER) {
          return "does not read the dataset's column: " + columns.get(0);
        }
        return null;
      }
    } catch (NqlException e) {
      return e.getMessage();
    }
  }

  /** Null when PostgreSQL runs the statement, else its message; nothing it does is kept. */
  private static String postgresRefusal(Connection pg, String sql) throws SQLException {
    try (Statement s = pg.createStatement()) {
      s.execute(sql);
      return null;
    } catch (SQLException e) {
      return e.getMessage();
    } finally {
      pg.rollback();
    }
  }

  /**
   * A connection whose session has the table {@code words} with every name as a (quoted) column, in
   * a transaction that each statement rolls back.
   */
  private static Connection postgres() throws SQLException {
    Connection c;
    try {
      c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD);
    } catch (SQLException e) {
      String reason = "PostgreSQL is unreachable at " + PG_URL + ": " + e.getMessage();
      if ("required".equals(System.getProperty("nql.test.postgres"))) {
        fail(reason + " (nql.test.postgres=required; run .ci/postgres.sh)");
      }
      assumeTrue(false, reason);
      throw e;
    }
    c.setAutoCommit(false);
    String columns =
        Stream.concat(NAMES.stream(), RESERVED.keySet().stream())
            .map(n -> '"' + n + "\" INTEGER")
            .collect(Collectors.joining(", "));
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE words (x INTEGER, " + columns + ")");
    }
    c.commit();
    return c;
  }

  private static String env(String name, String defaultValue) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? defaultValue : value;
  }
}
