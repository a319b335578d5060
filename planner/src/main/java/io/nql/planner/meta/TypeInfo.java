package io.nql.planner.meta;

import io.nql.planner.exec.JdbcTypes;
import io.nql.planner.result.ResultColumn;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rows of {@link java.sql.DatabaseMetaData#getTypeInfo()} and of Flight SQL's {@code
 * GetXdbcTypeInfo}: the types NQL columns can have. Approximate types give their precision in
 * decimal digits (radix 10), as Calcite does; VARCHAR and VARBINARY have no length limit in
 * datasets.
 */
public final class TypeInfo {
  private TypeInfo() {}

  /**
   * One type NQL columns can have, as {@code getTypeInfo} describes it.
   *
   * @param name the type name
   * @param jdbcType its {@link java.sql.Types} code
   * @param precision maximum precision or length
   * @param prefix literal prefix, or {@code null}
   * @param suffix literal suffix, or {@code null}
   * @param params parameters of the type name ({@code length}, {@code precision,scale}), or null
   * @param caseSensitive whether values compare case-sensitively
   * @param unsigned whether the type has no sign
   * @param minScale minimum scale
   * @param maxScale maximum scale
   * @param radix radix of the precision, or {@code null} when not numeric
   */
  public record SqlType(
      String name,
      int jdbcType,
      int precision,
      String prefix,
      String suffix,
      String params,
      boolean caseSensitive,
      boolean unsigned,
      int minScale,
      int maxScale,
      Integer radix) {

    /** Whether a column of the type may hold NULL: always. */
    public int nullable() {
      return DatabaseMetaData.typeNullable;
    }

    /**
     * How the type can be used in a WHERE clause: in every predicate, LIKE included (other values
     * compare with LIKE as their text), except binaries, which LIKE refuses.
     */
    public int searchable() {
      return jdbcType == Types.BINARY || jdbcType == Types.VARBINARY
          ? DatabaseMetaData.typePredBasic
          : DatabaseMetaData.typeSearchable;
    }

    /** Whether it is a money type of fixed precision and scale: no type is. */
    public boolean fixedPrecScale() {
      return false;
    }

    /** Whether its values can be generated: no column is auto-incremented. */
    public boolean autoIncrement() {
      return false;
    }

    /** The localized name: the name. */
    public String localTypeName() {
      return name;
    }
  }

  private static final List<SqlType> TYPES =
      List.of(
          new SqlType("BOOLEAN", Types.BOOLEAN, 1, null, null, null, false, true, 0, 0, null),
          new SqlType("TINYINT", Types.TINYINT, 3, null, null, null, false, false, 0, 0, 10),
          new SqlType("SMALLINT", Types.SMALLINT, 5, null, null, null, false, false, 0, 0, 10),
          new SqlType("INTEGER", Types.INTEGER, 10, null, null, null, false, false, 0, 0, 10),
          new SqlType("BIGINT", Types.BIGINT, 19, null, null, null, false, false, 0, 0, 10),
          new SqlType("REAL", Types.REAL, 7, null, null, null, false, false, 0, 0, 10),
          new SqlType("DOUBLE", Types.DOUBLE, 15, null, null, null, false, false, 0, 0, 10),
          new SqlType(
              "DECIMAL", Types.DECIMAL, 38, null, null, "precision,scale", false, false, 0, 38, 10),
          new SqlType("CHAR", Types.CHAR, 65536, "'", "'", "length", true, true, 0, 0, null),
          new SqlType(
              "VARCHAR",
              Types.VARCHAR,
              ResultColumn.UNBOUNDED,
              "'",
              "'",
              "length",
              true,
              true,
              0,
              0,
              null),
          new SqlType("BINARY", Types.BINARY, 65536, "X'", "'", "length", false, true, 0, 0, null),
          new SqlType(
              "VARBINARY",
              Types.VARBINARY,
              ResultColumn.UNBOUNDED,
              "X'",
              "'",
              "length",
              false,
              true,
              0,
              0,
              null),
          new SqlType("DATE", Types.DATE, 10, "DATE '", "'", null, false, true, 0, 0, null),
          new SqlType("TIME", Types.TIME, 12, "TIME '", "'", null, false, true, 0, 3, null),
          // TIMESTAMP(6): yyyy-mm-dd hh:mm:ss.ffffff (datasets store microseconds)
          new SqlType(
              "TIMESTAMP", Types.TIMESTAMP, 26, "TIMESTAMP '", "'", null, false, true, 0, 6, null),
          // TIMESTAMP(6) WITH LOCAL TIME ZONE (Iceberg's timestamptz): ... .ffffff+hh:mm
          new SqlType(
              JdbcTypes.TIMESTAMP_WITH_TIME_ZONE,
              Types.TIMESTAMP_WITH_TIMEZONE,
              32,
              "TIMESTAMP WITH LOCAL TIME ZONE '",
              "'",
              null,
              false,
              true,
              0,
              6,
              null));

  /** The types, ordered by JDBC type code as {@code getTypeInfo} requires. */
  public static List<SqlType> types() {
    List<SqlType> types = new ArrayList<>(TYPES);
    types.sort(Comparator.comparingInt(SqlType::jdbcType));
    return List.copyOf(types);
  }

  static MetadataTable table() {
    List<ResultColumn> cols =
        List.of(
            new ResultColumn("TYPE_NAME", Types.VARCHAR, "VARCHAR", 0, 0, false),
            new ResultColumn("DATA_TYPE", Types.INTEGER, "INTEGER", 10, 0, false),
            new ResultColumn("PRECISION", Types.INTEGER, "INTEGER", 10, 0, true),
            ResultColumn.varchar("LITERAL_PREFIX"),
            ResultColumn.varchar("LITERAL_SUFFIX"),
            ResultColumn.varchar("CREATE_PARAMS"),
            new ResultColumn("NULLABLE", Types.SMALLINT, "SMALLINT", 5, 0, false),
            ResultColumn.bool("CASE_SENSITIVE"),
            new ResultColumn("SEARCHABLE", Types.SMALLINT, "SMALLINT", 5, 0, false),
            ResultColumn.bool("UNSIGNED_ATTRIBUTE"),
            ResultColumn.bool("FIXED_PREC_SCALE"),
            ResultColumn.bool("AUTO_INCREMENT"),
            ResultColumn.varchar("LOCAL_TYPE_NAME"),
            new ResultColumn("MINIMUM_SCALE", Types.SMALLINT, "SMALLINT", 5, 0, true),
            new ResultColumn("MAXIMUM_SCALE", Types.SMALLINT, "SMALLINT", 5, 0, true),
            new ResultColumn("SQL_DATA_TYPE", Types.INTEGER, "INTEGER", 10, 0, true),
            new ResultColumn("SQL_DATETIME_SUB", Types.INTEGER, "INTEGER", 10, 0, true),
            new ResultColumn("NUM_PREC_RADIX", Types.INTEGER, "INTEGER", 10, 0, true));
    List<Object[]> rows = new ArrayList<>();
    for (SqlType t : types()) {
      rows.add(
          new Object[] {
            t.name(),
            t.jdbcType(),
            t.precision(),
            t.prefix(),
            t.suffix(),
            t.params(),
            (short) t.nullable(),
            t.caseSensitive(),
            (short) t.searchable(),
            t.unsigned(),
            t.fixedPrecScale(),
            t.autoIncrement(),
            t.localTypeName(),
            (short) t.minScale(),
            (short) t.maxScale(),
            null,
            null,
            t.radix()
          });
    }
    return new MetadataTable(cols, rows);
  }
}
