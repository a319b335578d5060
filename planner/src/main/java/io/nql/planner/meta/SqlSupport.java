package io.nql.planner.meta;

import io.nql.planner.parser.NqlParser;
import java.sql.Types;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What NQL's SQL supports, as clients ask it: Flight SQL's {@code GetSqlInfo} and JDBC's {@link
 * java.sql.DatabaseMetaData} {@code supports*} and {@code getMax*} calls. Every claim, supported or
 * not, is checked by running statements (SqlSupportTest), so a change in the engine that makes one
 * untrue fails the build.
 */
public final class SqlSupport {
  private SqlSupport() {}

  /** A SQL feature a client may ask about, and whether NQL has it. */
  public enum Feature {
    /** {@code SELECT id AS x}. */
    COLUMN_ALIASING(true),
    /** {@code FROM t AS x}. */
    TABLE_CORRELATION_NAMES(true),
    /** Whether correlation names must differ from table names: no, {@code FROM t AS t} works. */
    DIFFERENT_TABLE_CORRELATION_NAMES(false),
    /** {@code ORDER BY id * 2}. */
    EXPRESSIONS_IN_ORDER_BY(true),
    /** {@code SELECT s … ORDER BY id}: ordering by a column not selected. */
    ORDER_BY_UNRELATED(true),
    /** {@code SELECT COUNT(*) … GROUP BY s}: grouping by a column not selected. */
    GROUP_BY_UNRELATED(true),
    /** {@code SELECT s, COUNT(*) … GROUP BY s, d}: more grouping columns than selected. */
    GROUP_BY_BEYOND_SELECT(true),
    /** {@code LIKE 'a!%' ESCAPE '!'}. */
    LIKE_ESCAPE_CLAUSE(true),
    /** {@code CREATE DATASET … (id BIGINT NOT NULL)}. */
    NON_NULLABLE_COLUMNS(true),
    /** {@code 'a' || NULL} is NULL. */
    NULL_PLUS_NON_NULL_IS_NULL(true),
    /** {@code WHERE id > (SELECT MIN(id) …)}. */
    SUBQUERIES_IN_COMPARISONS(true),
    /** {@code WHERE EXISTS (SELECT …)}. */
    SUBQUERIES_IN_EXISTS(true),
    /** {@code WHERE id IN (SELECT id …)}. */
    SUBQUERIES_IN_INS(true),
    /** {@code WHERE id > ALL (SELECT id …)}, {@code = ANY}, {@code < SOME}. */
    SUBQUERIES_IN_QUANTIFIEDS(true),
    /** A subquery that refers to a column of the outer query. */
    CORRELATED_SUBQUERIES(true),
    /** {@code UNION}. */
    UNION(true),
    /** {@code UNION ALL}. */
    UNION_ALL(true),
    /** {@code LEFT} and {@code RIGHT JOIN}, also on non-equality conditions. */
    OUTER_JOINS(true),
    /** {@code FULL OUTER JOIN}. */
    FULL_OUTER_JOINS(true),
    /** Creating and dropping tables: {@code CREATE DATASET}, {@code DROP DATASET}. */
    CREATE_DROP_TABLES(true),
    /** Creating and dropping schemas: no ({@code company_data} and provider slugs are given). */
    CREATE_DROP_SCHEMAS(false),
    /** Creating and dropping catalogs: no (the one catalog is {@code nql}). */
    CREATE_DROP_CATALOGS(false),
    /** Naming the catalog in a statement ({@code nql.company_data.t}): no. */
    CATALOG_IN_NAMES(false),
    /** {@code INSERT}, {@code UPDATE}, {@code DELETE}: no, datasets are loaded by COPY INTO. */
    ROW_UPDATES(false),
    /** {@code SELECT … FOR UPDATE}. */
    SELECT_FOR_UPDATE(false),
    /** {@code UPDATE … WHERE CURRENT OF} and {@code DELETE … WHERE CURRENT OF}. */
    POSITIONED_UPDATE_DELETE(false),
    /** {@code CALL} and {@code {call …}}. */
    STORED_PROCEDURES(false),
    /** {@code START TRANSACTION}, {@code COMMIT}: every statement takes effect on its own. */
    TRANSACTIONS(false),
    /** {@code PRIMARY KEY}, {@code CHECK} and other constraints in {@code CREATE DATASET}. */
    INTEGRITY_ENHANCEMENT_FACILITY(false);

    private final boolean supported;

    Feature(boolean supported) {
      this.supported = supported;
    }

    /** Whether NQL supports this feature. */
    public boolean supported() {
      return supported;
    }
  }

  /**
   * The longest name of a schema, table, column or user, in characters: the grammar refuses longer
   * identifiers, quoted or not.
   */
  public static final int MAX_NAME_LENGTH = NqlParser.config().identifierMaxLength();

  private static final Set<Integer> INTEGERS =
      Set.of(Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT);

  private static final Set<Integer> FRACTIONAL = Set.of(Types.REAL, Types.DOUBLE, Types.DECIMAL);

  /** What a number converts to. */
  private static final Set<Integer> NUMBER_TARGETS =
      Set.of(
          Types.TINYINT,
          Types.SMALLINT,
          Types.INTEGER,
          Types.BIGINT,
          Types.REAL,
          Types.FLOAT,
          Types.DOUBLE,
          Types.DECIMAL,
          Types.NUMERIC,
          Types.BOOLEAN,
          Types.CHAR,
          Types.VARCHAR,
          Types.TIMESTAMP);

  private static final Map<Integer, Set<Integer>> CONVERSIONS = conversionsTable();

  /**
   * The conversions of the JDBC escape {@code {fn CONVERT(value, SQL_type)}}: for each type NQL
   * values have (a {@link Types} code), the {@link Types} codes of the {@code SQL_type}s a value of
   * it converts to. A pair is listed when the conversion runs on ordinary values of the type (text
   * that spells a value of the target, for strings); pairs the engine refuses, and targets the
   * escape cannot name ({@code SQL_BIT}, {@code SQL_LONGVARCHAR}, intervals…), are not.
   */
  public static Map<Integer, Set<Integer>> conversions() {
    return CONVERSIONS;
  }

  private static Map<Integer, Set<Integer>> conversionsTable() {
    Map<Integer, Set<Integer>> m = new LinkedHashMap<>();
    Set<Integer> binaries = Set.of(Types.BINARY, Types.VARBINARY, Types.CHAR, Types.VARCHAR);
    Set<Integer> fromIntegers = union(NUMBER_TARGETS, Set.of(Types.BINARY, Types.VARBINARY));
    for (int t : INTEGERS) {
      m.put(t, fromIntegers);
    }
    for (int t : FRACTIONAL) {
      m.put(t, NUMBER_TARGETS);
    }
    m.put(Types.BOOLEAN, Set.of(Types.BOOLEAN, Types.CHAR, Types.VARCHAR));
    Set<Integer> fromStrings =
        union(
            NUMBER_TARGETS,
            Set.of(Types.DATE, Types.TIME, Types.BINARY, Types.VARBINARY, Types.BOOLEAN));
    m.put(Types.CHAR, fromStrings);
    m.put(Types.VARCHAR, fromStrings);
    m.put(Types.BINARY, binaries);
    m.put(Types.VARBINARY, binaries);
    m.put(Types.DATE, Set.of(Types.DATE, Types.TIMESTAMP, Types.CHAR, Types.VARCHAR));
    m.put(Types.TIME, Set.of(Types.TIME, Types.TIMESTAMP, Types.CHAR, Types.VARCHAR));
    Set<Integer> fromTimestamps =
        Set.of(
            Types.TIMESTAMP,
            Types.DATE,
            Types.TIME,
            Types.BIGINT,
            Types.REAL,
            Types.FLOAT,
            Types.DOUBLE,
            Types.DECIMAL,
            Types.NUMERIC,
            Types.CHAR,
            Types.VARCHAR);
    m.put(Types.TIMESTAMP, fromTimestamps);
    m.put(Types.TIMESTAMP_WITH_TIMEZONE, fromTimestamps);
    return Collections.unmodifiableMap(m);
  }

  private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
    Set<Integer> out = new HashSet<>(a);
    out.addAll(b);
    return Set.copyOf(out);
  }
}
