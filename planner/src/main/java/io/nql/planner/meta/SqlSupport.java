package io.nql.planner.meta;

import io.nql.planner.parser.NqlParser;
import io.nql.planner.plan.Casts;
import java.sql.Types;
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
    /** {@code INSERT INTO company_data.<dataset> VALUES | SELECT}. */
    INSERTS(true),
    /** {@code UPDATE} and {@code DELETE} of an own dataset's rows (copy-on-write). */
    ROW_UPDATES(true),
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

  /**
   * The conversions of the JDBC escape {@code {fn CONVERT(value, SQL_type)}} and of {@code CAST}:
   * for each type NQL values have (a {@link Types} code), the {@link Types} codes of the {@code
   * SQL_type}s a value of it converts to ({@link Casts#conversions()}; the validator refuses the
   * other pairs).
   */
  public static Map<Integer, Set<Integer>> conversions() {
    return Casts.conversions();
  }
}
