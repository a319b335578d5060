package io.nql.planner.engine;

import io.nql.planner.catalog.Namespaces;
import io.nql.planner.result.ResultColumn;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code information_schema}: the SQL-standard views of what the caller may query — {@code
 * schemata}, {@code tables}, {@code columns}, {@code views}, and the empty {@code
 * table_constraints} and {@code key_column_usage} (NQL has no keys) — with the columns and names
 * PostgreSQL gives them, for tools that ask (dbt, Superset, Metabase, a console).
 *
 * <p>One source of truth: the rows come from the session's {@link NqlSession#visibleSchemas()} and
 * {@link NqlSession#visibleTables()}, as JDBC's {@code DatabaseMetaData} and Flight SQL's metadata
 * commands do, so the three always agree. A rule shows only the columns it publishes, and never its
 * definition ({@code views.view_definition} is NULL): a rule's filter and hidden columns are the
 * provider's.
 */
final class InformationSchema extends AbstractSchema {
  /** NQL's only catalog. */
  static final String CATALOG = "nql";

  /** The schema's own tables, as metadata calls list them (type {@code SYSTEM TABLE}). */
  static final List<VisibleTable> LISTED = new InformationSchema(List::of, List::of).listed();

  private final Map<String, Table> tables = new LinkedHashMap<>();

  InformationSchema(Supplier<List<String>> schemas, Supplier<List<VisibleTable>> visible) {
    tables.put(
        "schemata",
        new View(
            List.of(
                text("catalog_name"),
                text("schema_name"),
                text("schema_owner"),
                text("default_character_set_catalog"),
                text("default_character_set_schema"),
                text("default_character_set_name"),
                text("sql_path")),
            () -> {
              List<Object[]> rows = new ArrayList<>();
              for (String s : schemas.get()) {
                rows.add(new Object[] {CATALOG, s, null, null, null, null, null});
              }
              return rows;
            }));
    tables.put(
        "tables",
        new View(
            List.of(
                text("table_catalog"),
                text("table_schema"),
                text("table_name"),
                text("table_type"),
                text("self_referencing_column_name"),
                text("reference_generation"),
                text("user_defined_type_catalog"),
                text("user_defined_type_schema"),
                text("user_defined_type_name"),
                text("is_insertable_into"),
                text("is_typed"),
                text("commit_action")),
            () ->
                rows(
                    visible.get(),
                    t ->
                        List.<Object[]>of(
                            new Object[] {
                              CATALOG,
                              t.schema(),
                              t.name(),
                              tableType(t.type()),
                              null,
                              null,
                              null,
                              null,
                              null,
                              "NO",
                              "NO",
                              null
                            }))));
    tables.put(
        "columns",
        new View(
            List.of(
                text("table_catalog"),
                text("table_schema"),
                text("table_name"),
                text("column_name"),
                number("ordinal_position"),
                text("column_default"),
                text("is_nullable"),
                text("data_type"),
                number("character_maximum_length"),
                number("character_octet_length"),
                number("numeric_precision"),
                number("numeric_precision_radix"),
                number("numeric_scale"),
                number("datetime_precision"),
                text("is_updatable")),
            () -> rows(visible.get(), InformationSchema::columnRows)));
    tables.put(
        "views",
        new View(
            List.of(
                text("table_catalog"),
                text("table_schema"),
                text("table_name"),
                text("view_definition"),
                text("check_option"),
                text("is_updatable"),
                text("is_insertable_into"),
                text("is_trigger_updatable"),
                text("is_trigger_deletable"),
                text("is_trigger_insertable_into")),
            () ->
                rows(
                    visible.get(),
                    t ->
                        t.type().equals("VIEW")
                            ? List.<Object[]>of(
                                new Object[] {
                                  CATALOG,
                                  t.schema(),
                                  t.name(),
                                  null,
                                  "NONE",
                                  "NO",
                                  "NO",
                                  "NO",
                                  "NO",
                                  "NO"
                                })
                            : List.of())));
    tables.put(
        "table_constraints",
        new View(
            List.of(
                text("constraint_catalog"),
                text("constraint_schema"),
                text("constraint_name"),
                text("table_catalog"),
                text("table_schema"),
                text("table_name"),
                text("constraint_type"),
                text("is_deferrable"),
                text("initially_deferred"),
                text("enforced")),
            List::of));
    tables.put(
        "key_column_usage",
        new View(
            List.of(
                text("constraint_catalog"),
                text("constraint_schema"),
                text("constraint_name"),
                text("table_catalog"),
                text("table_schema"),
                text("table_name"),
                text("column_name"),
                number("ordinal_position"),
                number("position_in_unique_constraint")),
            List::of));
  }

  @Override
  protected Map<String, Table> getTableMap() {
    return tables;
  }

  private List<VisibleTable> listed() {
    List<VisibleTable> out = new ArrayList<>();
    for (Map.Entry<String, Table> e : tables.entrySet()) {
      out.add(
          new VisibleTable(
              Namespaces.INFORMATION_SCHEMA,
              e.getKey(),
              "SYSTEM TABLE",
              "SQL-standard metadata (read-only)",
              ((View) e.getValue()).columns));
    }
    return out;
  }

  /** {@code information_schema.tables.table_type} of a JDBC table type. */
  static String tableType(String jdbcType) {
    return switch (jdbcType) {
      case "TABLE" -> "BASE TABLE";
      case "VIEW" -> "VIEW";
      default -> "SYSTEM VIEW";
    };
  }

  /**
   * {@code information_schema.columns.data_type}: the SQL standard's name of the type, as
   * PostgreSQL writes it.
   */
  static String dataType(ResultColumn c) {
    return switch (c.jdbcType()) {
      case Types.BOOLEAN -> "boolean";
      case Types.TINYINT -> "tinyint";
      case Types.SMALLINT -> "smallint";
      case Types.INTEGER -> "integer";
      case Types.BIGINT -> "bigint";
      case Types.REAL -> "real";
      case Types.FLOAT, Types.DOUBLE -> "double precision";
      case Types.DECIMAL, Types.NUMERIC -> "numeric";
      case Types.CHAR -> "character";
      case Types.VARCHAR -> "character varying";
      case Types.BINARY -> "binary";
      case Types.VARBINARY -> "binary varying";
      case Types.DATE -> "date";
      case Types.TIME -> "time without time zone";
      case Types.TIMESTAMP -> "timestamp without time zone";
      case Types.TIMESTAMP_WITH_TIMEZONE -> "timestamp with time zone";
      case Types.ARRAY -> "ARRAY";
      default -> c.typeName().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static List<Object[]> columnRows(VisibleTable t) {
    List<Object[]> rows = new ArrayList<>();
    int ordinal = 0;
    for (ResultColumn c : t.columns()) {
      ordinal++;
      boolean characters =
          c.jdbcType() == Types.CHAR
              || c.jdbcType() == Types.VARCHAR
              || c.jdbcType() == Types.BINARY
              || c.jdbcType() == Types.VARBINARY;
      boolean numeric = c.radix() != null;
      boolean datetime =
          c.jdbcType() == Types.DATE
              || c.jdbcType() == Types.TIME
              || c.jdbcType() == Types.TIMESTAMP
              || c.jdbcType() == Types.TIMESTAMP_WITH_TIMEZONE;
      rows.add(
          new Object[] {
            CATALOG,
            t.schema(),
            t.name(),
            c.name(),
            ordinal,
            null,
            c.nullable() ? "YES" : "NO",
            dataType(c),
            characters ? bounded(c.columnSize()) : null,
            characters ? bounded(c.charOctetLength()) : null,
            numeric ? c.columnSize() : null,
            numeric ? c.radix() : null,
            numeric ? c.decimalDigits() : null,
            datetime ? (c.jdbcType() == Types.DATE ? Integer.valueOf(0) : c.decimalDigits()) : null,
            "NO"
          });
    }
    return rows;
  }

  /** A length, or NULL for none (the SQL standard's way; JDBC says {@code UNBOUNDED}). */
  private static Integer bounded(Integer length) {
    return length == null || length == ResultColumn.UNBOUNDED ? null : length;
  }

  /** Rows of every visible table, in the order of schema and name. */
  private static List<Object[]> rows(
      List<VisibleTable> visible, Function<VisibleTable, List<Object[]>> rowsOf) {
    List<VisibleTable> sorted = new ArrayList<>(visible);
    sorted.sort(Comparator.comparing(VisibleTable::schema).thenComparing(VisibleTable::name));
    List<Object[]> out = new ArrayList<>();
    for (VisibleTable t : sorted) {
      out.addAll(rowsOf.apply(t));
    }
    return out;
  }

  private static ResultColumn text(String name) {
    return new ResultColumn(name, Types.VARCHAR, "VARCHAR", 0, 0, true);
  }

  private static ResultColumn number(String name) {
    return new ResultColumn(name, Types.INTEGER, "INTEGER", 10, 0, true);
  }

  /** A read-only view whose rows are computed when it is scanned. */
  private static final class View extends AbstractTable implements ScannableTable {
    final List<ResultColumn> columns;
    private final Supplier<List<Object[]>> rows;

    View(List<ResultColumn> columns, Supplier<List<Object[]>> rows) {
      this.columns = columns;
      this.rows = rows;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory f) {
      RelDataTypeFactory.Builder b = f.builder();
      for (ResultColumn c : columns) {
        SqlTypeName type =
            c.jdbcType() == Types.INTEGER ? SqlTypeName.INTEGER : SqlTypeName.VARCHAR;
        b.add(c.name(), f.createTypeWithNullability(f.createSqlType(type), true));
      }
      return b.build();
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root) {
      return Linq4j.asEnumerable(rows.get());
    }
  }
}
