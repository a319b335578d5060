package io.nql.planner.meta;

import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.ResultColumn;
import io.nql.planner.engine.VisibleTable;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.Meta;

/**
 * The result sets of {@link java.sql.DatabaseMetaData} calls, built from what the session may
 * query: nothing the caller cannot query ever appears here.
 */
final class MetadataTables {
  static final String CATALOG = "nql";

  private MetadataTables() {}

  /** A metadata result: its columns and rows (rows in Avatica representation). */
  record Table(List<ResultColumn> columns, List<Object[]> rows) {}

  private static ResultColumn str(String name) {
    return ResultColumn.varchar(name);
  }

  private static ResultColumn strNotNull(String name) {
    return new ResultColumn(name, Types.VARCHAR, "VARCHAR", 0, 0, false);
  }

  private static ResultColumn int32(String name) {
    return new ResultColumn(name, Types.INTEGER, "INTEGER", 10, 0, true);
  }

  private static ResultColumn int16(String name) {
    return new ResultColumn(name, Types.SMALLINT, "SMALLINT", 5, 0, true);
  }

  private static ResultColumn bool(String name) {
    return ResultColumn.bool(name);
  }

  static Table catalogs() {
    return new Table(List.of(strNotNull("TABLE_CAT")), List.<Object[]>of(new Object[] {CATALOG}));
  }

  static Table tableTypes() {
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {"SYSTEM TABLE"});
    rows.add(new Object[] {"TABLE"});
    rows.add(new Object[] {"VIEW"});
    return new Table(List.of(strNotNull("TABLE_TYPE")), rows);
  }

  static Table schemas(NqlSession session, String catalog, Meta.Pat schemaPattern) {
    List<Object[]> rows = new ArrayList<>();
    if (catalogMatches(catalog)) {
      for (String s : session.visibleSchemas()) {
        if (matches(schemaPattern, s)) {
          rows.add(new Object[] {s, CATALOG});
        }
      }
    }
    return new Table(List.of(strNotNull("TABLE_SCHEM"), str("TABLE_CATALOG")), rows);
  }

  static Table tables(
      NqlSession session,
      String catalog,
      Meta.Pat schemaPattern,
      Meta.Pat tablePattern,
      List<String> types) {
    List<Object[]> rows = new ArrayList<>();
    if (catalogMatches(catalog)) {
      for (VisibleTable t : session.visibleTables()) {
        if (matches(schemaPattern, t.schema())
            && matches(tablePattern, t.name())
            && (types == null || types.contains(t.type()))) {
          rows.add(
              new Object[] {
                CATALOG, t.schema(), t.name(), t.type(), t.remarks(), null, null, null, null, null
              });
        }
      }
    }
    return new Table(
        List.of(
            str("TABLE_CAT"),
            str("TABLE_SCHEM"),
            strNotNull("TABLE_NAME"),
            str("TABLE_TYPE"),
            str("REMARKS"),
            str("TYPE_CAT"),
            str("TYPE_SCHEM"),
            str("TYPE_NAME"),
            str("SELF_REFERENCING_COL_NAME"),
            str("REF_GENERATION")),
        rows);
  }

  static Table columns(
      NqlSession session,
      String catalog,
      Meta.Pat schemaPattern,
      Meta.Pat tablePattern,
      Meta.Pat columnPattern) {
    List<Object[]> rows = new ArrayList<>();
    if (catalogMatches(catalog)) {
      for (VisibleTable t : session.visibleTables()) {
        if (!matches(schemaPattern, t.schema()) || !matches(tablePattern, t.name())) {
          continue;
        }
        int ordinal = 0;
        for (ResultColumn c : t.columns()) {
          ordinal++;
          if (!matches(columnPattern, c.name())) {
            continue;
          }
          rows.add(
              new Object[] {
                CATALOG,
                t.schema(),
                t.name(),
                c.name(),
                c.jdbcType(),
                c.typeName(),
                columnSize(c),
                null,
                decimalDigits(c),
                radix(c),
                c.nullable() ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
                null,
                null,
                null,
                null,
                charOctetLength(c),
                ordinal,
                c.nullable() ? "YES" : "NO",
                null,
                null,
                null,
                null,
                "NO",
                "NO"
              });
        }
      }
    }
    return new Table(
        List.of(
            str("TABLE_CAT"),
            str("TABLE_SCHEM"),
            strNotNull("TABLE_NAME"),
            strNotNull("COLUMN_NAME"),
            int32("DATA_TYPE"),
            str("TYPE_NAME"),
            int32("COLUMN_SIZE"),
            int32("BUFFER_LENGTH"),
            int32("DECIMAL_DIGITS"),
            int32("NUM_PREC_RADIX"),
            int32("NULLABLE"),
            str("REMARKS"),
            str("COLUMN_DEF"),
            int32("SQL_DATA_TYPE"),
            int32("SQL_DATETIME_SUB"),
            int32("CHAR_OCTET_LENGTH"),
            int32("ORDINAL_POSITION"),
            str("IS_NULLABLE"),
            str("SCOPE_CATALOG"),
            str("SCOPE_SCHEMA"),
            str("SCOPE_TABLE"),
            int16("SOURCE_DATA_TYPE"),
            str("IS_AUTOINCREMENT"),
            str("IS_GENERATEDCOLUMN")),
        rows);
  }

  private static Integer columnSize(ResultColumn c) {
    return switch (c.jdbcType()) {
      case Types.BOOLEAN -> 1;
      case Types.TINYINT -> 3;
      case Types.SMALLINT -> 5;
      case Types.INTEGER -> 10;
      case Types.BIGINT -> 19;
      case Types.REAL -> 7;
      case Types.FLOAT, Types.DOUBLE -> 15;
      case Types.DATE -> 10;
      case Types.TIME -> 12;
      case Types.TIMESTAMP -> 23;
      default -> c.precision() > 0 ? c.precision() : null;
    };
  }

  private static Integer decimalDigits(ResultColumn c) {
    return switch (c.jdbcType()) {
      case Types.DECIMAL, Types.NUMERIC -> c.scale();
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> 0;
      case Types.TIMESTAMP, Types.TIME -> 3;
      default -> null;
    };
  }

  private static Integer radix(ResultColumn c) {
    return switch (c.jdbcType()) {
      case Types.TINYINT,
          Types.SMALLINT,
          Types.INTEGER,
          Types.BIGINT,
          Types.DECIMAL,
          Types.NUMERIC ->
          10;
      case Types.REAL, Types.FLOAT, Types.DOUBLE -> 2;
      default -> null;
    };
  }

  private static Integer charOctetLength(ResultColumn c) {
    return switch (c.jdbcType()) {
      case Types.CHAR, Types.VARCHAR, Types.BINARY, Types.VARBINARY ->
          c.precision() > 0 ? c.precision() : null;
      default -> null;
    };
  }

  /** A metadata call the engine has nothing for yet: the JDBC-specified columns, no rows. */
  static Table empty(String... columnNames) {
    List<ResultColumn> cols = new ArrayList<>();
    for (String n : columnNames) {
      cols.add(str(n));
    }
    return new Table(cols, List.of());
  }

  private static boolean catalogMatches(String catalog) {
    return catalog == null || catalog.isEmpty() || CATALOG.equals(catalog);
  }

  /** SQL LIKE matching of a JDBC metadata pattern ({@code %}, {@code _}, {@code \} escapes). */
  static boolean matches(Meta.Pat pat, String value) {
    if (pat == null || pat.s == null) {
      return true;
    }
    StringBuilder regex = new StringBuilder();
    String s = pat.s;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\\' && i + 1 < s.length()) {
        regex.append(Pattern.quote(String.valueOf(s.charAt(++i))));
      } else if (ch == '%') {
        regex.append(".*");
      } else if (ch == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
  }
}
