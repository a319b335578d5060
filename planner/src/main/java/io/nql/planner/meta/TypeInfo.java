package io.nql.planner.meta;

import io.nql.planner.engine.ResultColumn;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rows of {@link java.sql.DatabaseMetaData#getTypeInfo()}: the types NQL columns can have.
 * Approximate types give their precision in decimal digits (radix 10), as Calcite does; VARCHAR and
 * VARBINARY have no length limit in datasets.
 */
final class TypeInfo {
  private TypeInfo() {}

  private record T(
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
      Integer radix) {}

  private static final List<T> TYPES =
      List.of(
          new T("BOOLEAN", Types.BOOLEAN, 1, null, null, null, false, true, 0, 0, null),
          new T("TINYINT", Types.TINYINT, 3, null, null, null, false, false, 0, 0, 10),
          new T("SMALLINT", Types.SMALLINT, 5, null, null, null, false, false, 0, 0, 10),
          new T("INTEGER", Types.INTEGER, 10, null, null, null, false, false, 0, 0, 10),
          new T("BIGINT", Types.BIGINT, 19, null, null, null, false, false, 0, 0, 10),
          new T("REAL", Types.REAL, 7, null, null, null, false, false, 0, 0, 10),
          new T("DOUBLE", Types.DOUBLE, 15, null, null, null, false, false, 0, 0, 10),
          new T(
              "DECIMAL", Types.DECIMAL, 38, null, null, "precision,scale", false, false, 0, 38, 10),
          new T("CHAR", Types.CHAR, 65536, "'", "'", "length", true, true, 0, 0, null),
          new T(
              "VARCHAR",
              Types.VARCHAR,
              MetadataTables.UNBOUNDED,
              "'",
              "'",
              "length",
              true,
              true,
              0,
              0,
              null),
          new T("BINARY", Types.BINARY, 65536, "X'", "'", "length", false, true, 0, 0, null),
          new T(
              "VARBINARY",
              Types.VARBINARY,
              MetadataTables.UNBOUNDED,
              "X'",
              "'",
              "length",
              false,
              true,
              0,
              0,
              null),
          new T("DATE", Types.DATE, 10, "DATE '", "'", null, false, true, 0, 0, null),
          new T("TIME", Types.TIME, 12, "TIME '", "'", null, false, true, 0, 3, null),
          new T(
              "TIMESTAMP", Types.TIMESTAMP, 23, "TIMESTAMP '", "'", null, false, true, 0, 3, null));

  static MetadataTables.Table table() {
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
    // JDBC: ordered by DATA_TYPE (then by how closely the type maps to it)
    List<T> types = new ArrayList<>(TYPES);
    types.sort(Comparator.comparingInt(T::jdbcType));
    for (T t : types) {
      rows.add(
          new Object[] {
            t.name(),
            t.jdbcType(),
            t.precision(),
            t.prefix(),
            t.suffix(),
            t.params(),
            (short) DatabaseMetaData.typeNullable,
            t.caseSensitive(),
            (short) DatabaseMetaData.typeSearchable,
            t.unsigned(),
            false,
            false,
            t.name(),
            (short) t.minScale(),
            (short) t.maxScale(),
            null,
            null,
            t.radix()
          });
    }
    return new MetadataTables.Table(cols, rows);
  }
}
