package io.nql.planner.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.meta.SqlSupport.Feature;
import java.nio.file.Path;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every claim of {@link SqlSupport} is true of the engine: a supported feature's statements run, an
 * unsupported one's are refused; the name limit is the grammar's; the conversions listed are
 * exactly those {@code {fn CONVERT}} runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlSupportTest {
  @TempDir static Path dir;

  private NqlEngine engine;
  private NqlSession acme;

  /** Statements that use each feature, over datasets t (id NOT NULL, s, d) and u (id, s). */
  private static final Map<Feature, List<String>> STATEMENTS = new EnumMap<>(Feature.class);

  static {
    String t = "company_data.t";
    String u = "company_data.u";
    statements(Feature.COLUMN_ALIASING, "SELECT id AS x FROM " + t);
    statements(Feature.TABLE_CORRELATION_NAMES, "SELECT x.id FROM " + t + " AS x");
    // a restriction: these would be refused if correlation names had to differ from table names
    statements(
        Feature.DIFFERENT_TABLE_CORRELATION_NAMES,
        "SELECT t.id FROM " + t + " AS t",
        "SELECT t.id FROM " + t + " AS u JOIN " + u + " AS t ON 1 = 0");
    statements(Feature.EXPRESSIONS_IN_ORDER_BY, "SELECT id FROM " + t + " ORDER BY id * 2");
    statements(Feature.ORDER_BY_UNRELATED, "SELECT s FROM " + t + " ORDER BY id");
    statements(Feature.GROUP_BY_UNRELATED, "SELECT COUNT(*) FROM " + t + " GROUP BY s");
    statements(Feature.GROUP_BY_BEYOND_SELECT, "SELECT s, COUNT(*) FROM " + t + " GROUP BY s, d");
    statements(
        Feature.LIKE_ESCAPE_CLAUSE, "SELECT id FROM " + t + " WHERE s LIKE 'a!%' ESCAPE '!'");
    statements(Feature.NON_NULLABLE_COLUMNS, "CREATE DATASET \"nn\" (id BIGINT NOT NULL)");
    // runs; its value is checked below
    statements(Feature.NULL_PLUS_NON_NULL_IS_NULL, "SELECT 'a' || s FROM " + t);
    statements(
        Feature.SUBQUERIES_IN_COMPARISONS,
        "SELECT id FROM " + t + " WHERE id > (SELECT MIN(id) FROM " + u + ")");
    statements(
        Feature.SUBQUERIES_IN_EXISTS,
        "SELECT id FROM " + t + " WHERE EXISTS (SELECT 1 FROM " + u + ")");
    statements(
        Feature.SUBQUERIES_IN_INS,
        "SELECT id FROM " + t + " WHERE id IN (SELECT id FROM " + u + ")");
    statements(
        Feature.SUBQUERIES_IN_QUANTIFIEDS,
        "SELECT id FROM " + t + " WHERE id > ALL (SELECT id FROM " + u + ")",
        "SELECT id FROM " + t + " WHERE id = ANY (SELECT id FROM " + u + ")",
        "SELECT id FROM " + t + " WHERE id < SOME (SELECT id FROM " + u + ")");
    statements(
        Feature.CORRELATED_SUBQUERIES,
        "SELECT id FROM "
            + t
            + " x WHERE id > (SELECT MIN(y.id) FROM "
            + u
            + " y WHERE y.s = x.s)");
    statements(Feature.UNION, "SELECT id FROM " + t + " UNION SELECT id FROM " + u);
    statements(Feature.UNION_ALL, "SELECT id FROM " + t + " UNION ALL SELECT id FROM " + u);
    statements(
        Feature.OUTER_JOINS,
        "SELECT t.id FROM " + t + " LEFT JOIN " + u + " ON t.id = u.id",
        "SELECT t.id FROM " + t + " RIGHT JOIN " + u + " ON t.id > u.id");
    statements(
        Feature.FULL_OUTER_JOINS, "SELECT t.id FROM " + t + " FULL OUTER JOIN " + u + " ON 1 = 1");
    statements(
        Feature.CREATE_DROP_TABLES,
        "CREATE DATASET \"created\" (id BIGINT)",
        "DROP DATASET \"created\"");
    statements(Feature.CREATE_DROP_SCHEMAS, "CREATE SCHEMA x", "DROP SCHEMA company_data");
    statements(Feature.CREATE_DROP_CATALOGS, "CREATE CATALOG x", "DROP CATALOG nql");
    statements(Feature.CATALOG_IN_NAMES, "SELECT id FROM nql." + t);
    statements(Feature.INSERTS, "INSERT INTO " + u + " VALUES (1, 'a')");
    statements(Feature.ROW_UPDATES, "UPDATE " + u + " SET s = 'b'", "DELETE FROM " + u);
    statements(Feature.SELECT_FOR_UPDATE, "SELECT id FROM " + t + " FOR UPDATE");
    statements(
        Feature.POSITIONED_UPDATE_DELETE,
        "UPDATE " + u + " SET s = 'b' WHERE CURRENT OF c",
        "DELETE FROM " + u + " WHERE CURRENT OF c");
    statements(Feature.STORED_PROCEDURES, "CALL p()", "{call p()}");
    statements(Feature.TRANSACTIONS, "START TRANSACTION", "BEGIN", "COMMIT", "ROLLBACK");
    statements(
        Feature.INTEGRITY_ENHANCEMENT_FACILITY,
        "CREATE DATASET \"pk\" (id BIGINT PRIMARY KEY)",
        "CREATE DATASET \"ck\" (id BIGINT, CONSTRAINT c CHECK (id > 0))",
        "CREATE DATASET \"fk\" (id BIGINT REFERENCES company_data.t (id))");
  }

  private static void statements(Feature f, String... sql) {
    STATEMENTS.put(f, List.of(sql));
  }

  @BeforeAll
  void open() {
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(), "admin-pw-1"));
    try (NqlSession admin = engine.trusted("admin")) {
      admin.execute("CREATE COMPANY acme").close();
      admin.execute("CREATE USER \"acme_user\" COMPANY acme PASSWORD 'acme-pw-1'").close();
    }
    acme = engine.trusted("acme_user");
    acme.execute("CREATE DATASET \"t\" (id BIGINT NOT NULL, s VARCHAR, d DOUBLE)").close();
    acme.execute("CREATE DATASET \"u\" (id BIGINT, s VARCHAR)").close();
  }

  @AfterAll
  void close() {
    acme.close();
    engine.close();
  }

  /** Runs a statement to its end; the failure's message, or null when it ran. */
  private String failure(String sql) {
    try (StatementResult r = acme.execute(sql)) {
      if (r.isQuery()) {
        while (r.next() != null) {
          // read every row: errors of running surface here
        }
      }
      return null;
    } catch (RuntimeException | LinkageError e) {
      return String.valueOf(e.getMessage());
    }
  }

  @Test
  void everyFeatureIsCheckedByStatements() {
    assertThat(STATEMENTS.keySet()).containsExactlyInAnyOrder(Feature.values());
  }

  @Test
  void supportedFeaturesRunAndOthersAreRefused() {
    List<String> untrue = new ArrayList<>();
    for (Map.Entry<Feature, List<String>> e : STATEMENTS.entrySet()) {
      Feature f = e.getKey();
      boolean restriction = f == Feature.DIFFERENT_TABLE_CORRELATION_NAMES;
      boolean shouldRun = restriction != f.supported();
      for (String sql : e.getValue()) {
        String failure = failure(sql);
        if (shouldRun && failure != null) {
          untrue.add(f + "=" + f.supported() + ", but " + sql + " fails: " + failure);
        } else if (!shouldRun && failure == null) {
          untrue.add(f + "=" + f.supported() + ", but " + sql + " runs");
        }
      }
    }
    assertThat(untrue).isEmpty();
    assertThat(run("SELECT 'a' || CAST(NULL AS VARCHAR) AS v"))
        .as("NULL_PLUS_NON_NULL_IS_NULL")
        .isEqualTo("null");
  }

  private String run(String sql) {
    try (StatementResult r = acme.execute(sql)) {
      return String.valueOf(r.next()[0]);
    }
  }

  @Test
  void namesUpToTheLimitWorkAndLongerOnesAreRefused() {
    assertThat(SqlSupport.MAX_NAME_LENGTH).isEqualTo(128);
    String longest = "n".repeat(SqlSupport.MAX_NAME_LENGTH);
    String tooLong = longest + "n";
    assertThat(failure("SELECT 1 AS " + longest)).isNull();
    assertThat(failure("CREATE DATASET \"" + longest + "\" (\"" + longest + "\" BIGINT)")).isNull();
    assertThat(failure("SELECT \"" + longest + "\" FROM company_data.\"" + longest + "\""))
        .isNull();
    assertThat(failure("SELECT 1 AS " + tooLong)).isNotNull();
    assertThat(failure("SELECT 1 AS \"" + tooLong + "\"")).isNotNull();
    assertThat(failure("CREATE DATASET \"" + tooLong + "\" (id BIGINT)")).isNotNull();
  }

  /** The {@code SQL_} type names {@code {fn CONVERT}} accepts, with their {@link Types} codes. */
  private static final Map<String, Integer> TARGETS = new LinkedHashMap<>();

  static {
    for (String name :
        List.of(
            "TINYINT",
            "SMALLINT",
            "INTEGER",
            "BIGINT",
            "REAL",
            "FLOAT",
            "DOUBLE",
            "DECIMAL",
            "NUMERIC",
            "BOOLEAN",
            "CHAR",
            "VARCHAR",
            "BINARY",
            "VARBINARY",
            "DATE",
            "TIME",
            "TIMESTAMP")) {
      try {
        TARGETS.put(name, Types.class.getField(name).getInt(null));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A value of a type, for a conversion to a target (strings spell a value of the target). */
  private static String sample(int from, int target) {
    String text =
        switch (target) {
          case Types.DATE -> "2026-01-01";
          case Types.TIME -> "10:00:00";
          case Types.TIMESTAMP -> "2026-01-01 10:00:00";
          case Types.BOOLEAN -> "true";
          case Types.CHAR, Types.VARCHAR, Types.BINARY, Types.VARBINARY -> "a";
          default -> "1";
        };
    return TypeSamples.of(from, text);
  }

  @Test
  void conversionsAreExactlyThoseConvertRuns() {
    Set<Integer> types = new TreeSet<>();
    for (TypeInfo.SqlType t : TypeInfo.types()) {
      types.add(t.jdbcType());
    }
    assertThat(SqlSupport.conversions().keySet())
        .as("every type NQL values have")
        .containsExactlyInAnyOrderElementsOf(types);
    List<String> untrue = new ArrayList<>();
    for (int from : types) {
      Set<Integer> claimed = SqlSupport.conversions().get(from);
      assertThat(TARGETS.values()).containsAll(claimed);
      for (Map.Entry<String, Integer> target : TARGETS.entrySet()) {
        String sql =
            "SELECT {fn CONVERT("
                + sample(from, target.getValue())
                + ", SQL_"
                + target.getKey()
                + ")} AS v";
        String failure = failure(sql);
        if (claimed.contains(target.getValue()) && failure != null) {
          untrue.add("claimed, but " + sql + " fails: " + failure);
        } else if (!claimed.contains(target.getValue()) && failure == null) {
          untrue.add("not claimed, but " + sql + " runs");
        }
      }
    }
    assertThat(untrue).isEmpty();
  }
}
