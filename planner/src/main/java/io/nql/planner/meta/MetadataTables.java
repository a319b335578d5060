package io.nql.planner.meta;

import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.VisibleTable;
import io.nql.planner.result.ResultColumn;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.calcite.avatica.Meta;

/**
 * The result sets of {@link java.sql.DatabaseMetaData} calls, built from what the session may
 * query: nothing the caller cannot query ever appears here.
 */
final class MetadataTables {
  static final String CATALOG = SessionCatalog.CATALOG;

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
    for (String type : SessionCatalog.TABLE_TYPES) {
      rows.add(new Object[] {type});
    }
    return new Table(List.of(strNotNull("TABLE_TYPE")), rows);
  }

  static Table schemas(NqlSession session, String catalog, Meta.Pat schemaPattern) {
    List<Object[]> rows = new ArrayList<>();
    for (String s : SessionCatalog.schemas(session, catalog, pattern(schemaPattern))) {
      rows.add(new Object[] {s, CATALOG});
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
    for (VisibleTable t :
        SessionCatalog.tables(
            session, catalog, pattern(schemaPattern), pattern(tablePattern), types)) {
      rows.add(
          new Object[] {
            CATALOG, t.schema(), t.name(), t.type(), t.remarks(), null, null, null, null, null
          });
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
      // JDBC: ordered by TABLE_CAT, TABLE_SCHEM, TABLE_NAME and ORDINAL_POSITION
      List<VisibleTable> tables = new ArrayList<>(session.visibleTables());
      tables.sort(Comparator.comparing(VisibleTable::schema).thenComparing(VisibleTable::name));
      for (VisibleTable t : tables) {
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
                c.columnSize(),
                null,
                c.decimalDigits(),
                c.radix(),
                c.nullable() ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
                null,
                null,
                null,
                null,
                c.charOctetLength(),
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

  /**
   * Length of a character or binary column without a declared length (a dataset's strings and
   * binaries have no limit).
   */
  static final int UNBOUNDED = ResultColumn.UNBOUNDED;

  /**
   * A metadata call NQL has nothing for (no keys, indexes, privileges, routines, user-defined
   * types): the JDBC-specified columns, no rows.
   */
  static Table empty(List<ResultColumn> columns) {
    return new Table(columns, List.of());
  }

  /**
   * Columns as {@code NAME:type} with type {@code s} (VARCHAR), {@code i} (INTEGER), {@code h}
   * (SMALLINT), {@code l} (BIGINT) or {@code b} (BOOLEAN), as the JDBC javadoc types them.
   */
  static List<ResultColumn> spec(String... columns) {
    List<ResultColumn> out = new ArrayList<>(columns.length);
    for (String c : columns) {
      int colon = c.indexOf(':');
      String name = c.substring(0, colon);
      out.add(
          switch (c.substring(colon + 1)) {
            case "s" -> str(name);
            case "i" -> int32(name);
            case "h" -> int16(name);
            case "l" -> ResultColumn.bigint(name, true);
            case "b" -> bool(name);
            default -> throw new IllegalArgumentException(c);
          });
    }
    return List.copyOf(out);
  }

  static final List<ResultColumn> PROCEDURES =
      spec(
          "PROCEDURE_CAT:s",
          "PROCEDURE_SCHEM:s",
          "PROCEDURE_NAME:s",
          "FUTURE_USE1:s",
          "FUTURE_USE2:s",
          "FUTURE_USE3:s",
          "REMARKS:s",
          "PROCEDURE_TYPE:h",
          "SPECIFIC_NAME:s");

  static final List<ResultColumn> PROCEDURE_COLUMNS =
      spec(
          "PROCEDURE_CAT:s",
          "PROCEDURE_SCHEM:s",
          "PROCEDURE_NAME:s",
          "COLUMN_NAME:s",
          "COLUMN_TYPE:h",
          "DATA_TYPE:i",
          "TYPE_NAME:s",
          "PRECISION:i",
          "LENGTH:i",
          "SCALE:h",
          "RADIX:h",
          "NULLABLE:h",
          "REMARKS:s",
          "COLUMN_DEF:s",
          "SQL_DATA_TYPE:i",
          "SQL_DATETIME_SUB:i",
          "CHAR_OCTET_LENGTH:i",
          "ORDINAL_POSITION:i",
          "IS_NULLABLE:s",
          "SPECIFIC_NAME:s");

  static final List<ResultColumn> COLUMN_PRIVILEGES =
      spec(
          "TABLE_CAT:s",
          "TABLE_SCHEM:s",
          "TABLE_NAME:s",
          "COLUMN_NAME:s",
          "GRANTOR:s",
          "GRANTEE:s",
          "PRIVILEGE:s",
          "IS_GRANTABLE:s");

  static final List<ResultColumn> TABLE_PRIVILEGES =
      spec(
          "TABLE_CAT:s",
          "TABLE_SCHEM:s",
          "TABLE_NAME:s",
          "GRANTOR:s",
          "GRANTEE:s",
          "PRIVILEGE:s",
          "IS_GRANTABLE:s");

  /** getBestRowIdentifier and getVersionColumns. */
  static final List<ResultColumn> ROW_IDENTIFIERS =
      spec(
          "SCOPE:h",
          "COLUMN_NAME:s",
          "DATA_TYPE:i",
          "TYPE_NAME:s",
          "COLUMN_SIZE:i",
          "BUFFER_LENGTH:i",
          "DECIMAL_DIGITS:h",
          "PSEUDO_COLUMN:h");

  static final List<ResultColumn> PRIMARY_KEYS =
      spec(
          "TABLE_CAT:s",
          "TABLE_SCHEM:s",
          "TABLE_NAME:s",
          "COLUMN_NAME:s",
          "KEY_SEQ:h",
          "PK_NAME:s");

  /** getImportedKeys, getExportedKeys and getCrossReference. */
  static final List<ResultColumn> FOREIGN_KEYS =
      spec(
          "PKTABLE_CAT:s",
          "PKTABLE_SCHEM:s",
          "PKTABLE_NAME:s",
          "PKCOLUMN_NAME:s",
          "FKTABLE_CAT:s",
          "FKTABLE_SCHEM:s",
          "FKTABLE_NAME:s",
          "FKCOLUMN_NAME:s",
          "KEY_SEQ:h",
          "UPDATE_RULE:h",
          "DELETE_RULE:h",
          "FK_NAME:s",
          "PK_NAME:s",
          "DEFERRABILITY:h");

  static final List<ResultColumn> INDEX_INFO =
      spec(
          "TABLE_CAT:s",
          "TABLE_SCHEM:s",
          "TABLE_NAME:s",
          "NON_UNIQUE:b",
          "INDEX_QUALIFIER:s",
          "INDEX_NAME:s",
          "TYPE:h",
          "ORDINAL_POSITION:h",
          "COLUMN_NAME:s",
          "ASC_OR_DESC:s",
          "CARDINALITY:l",
          "PAGES:l",
          "FILTER_CONDITION:s");

  static final List<ResultColumn> UDTS =
      spec(
          "TYPE_CAT:s",
          "TYPE_SCHEM:s",
          "TYPE_NAME:s",
          "CLASS_NAME:s",
          "DATA_TYPE:i",
          "REMARKS:s",
          "BASE_TYPE:h");

  static final List<ResultColumn> SUPER_TYPES =
      spec(
          "TYPE_CAT:s",
          "TYPE_SCHEM:s",
          "TYPE_NAME:s",
          "SUPERTYPE_CAT:s",
          "SUPERTYPE_SCHEM:s",
          "SUPERTYPE_NAME:s");

  static final List<ResultColumn> SUPER_TABLES =
      spec("TABLE_CAT:s", "TABLE_SCHEM:s", "TABLE_NAME:s", "SUPERTABLE_NAME:s");

  static final List<ResultColumn> ATTRIBUTES =
      spec(
          "TYPE_CAT:s",
          "TYPE_SCHEM:s",
          "TYPE_NAME:s",
          "ATTR_NAME:s",
          "DATA_TYPE:i",
          "ATTR_TYPE_NAME:s",
          "ATTR_SIZE:i",
          "DECIMAL_DIGITS:i",
          "NUM_PREC_RADIX:i",
          "NULLABLE:i",
          "REMARKS:s",
          "ATTR_DEF:s",
          "SQL_DATA_TYPE:i",
          "SQL_DATETIME_SUB:i",
          "CHAR_OCTET_LENGTH:i",
          "ORDINAL_POSITION:i",
          "IS_NULLABLE:s",
          "SCOPE_CATALOG:s",
          "SCOPE_SCHEMA:s",
          "SCOPE_TABLE:s",
          "SOURCE_DATA_TYPE:h");

  static final List<ResultColumn> CLIENT_INFO_PROPERTIES =
      spec("NAME:s", "MAX_LEN:i", "DEFAULT_VALUE:s", "DESCRIPTION:s");

  static final List<ResultColumn> FUNCTIONS =
      spec(
          "FUNCTION_CAT:s",
          "FUNCTION_SCHEM:s",
          "FUNCTION_NAME:s",
          "REMARKS:s",
          "FUNCTION_TYPE:h",
          "SPECIFIC_NAME:s");

  static final List<ResultColumn> FUNCTION_COLUMNS =
      spec(
          "FUNCTION_CAT:s",
          "FUNCTION_SCHEM:s",
          "FUNCTION_NAME:s",
          "COLUMN_NAME:s",
          "COLUMN_TYPE:h",
          "DATA_TYPE:i",
          "TYPE_NAME:s",
          "PRECISION:i",
          "LENGTH:i",
          "SCALE:h",
          "RADIX:h",
          "NULLABLE:h",
          "REMARKS:s",
          "CHAR_OCTET_LENGTH:i",
          "ORDINAL_POSITION:i",
          "IS_NULLABLE:s",
          "SPECIFIC_NAME:s");

  static final List<ResultColumn> PSEUDO_COLUMNS =
      spec(
          "TABLE_CAT:s",
          "TABLE_SCHEM:s",
          "TABLE_NAME:s",
          "COLUMN_NAME:s",
          "DATA_TYPE:i",
          "COLUMN_SIZE:i",
          "DECIMAL_DIGITS:i",
          "NUM_PREC_RADIX:i",
          "COLUMN_USAGE:s",
          "REMARKS:s",
          "CHAR_OCTET_LENGTH:i",
          "IS_NULLABLE:s");

  private static boolean catalogMatches(String catalog) {
    return SessionCatalog.catalogMatches(catalog);
  }

  private static String pattern(Meta.Pat pat) {
    return pat == null ? null : pat.s;
  }

  /** SQL LIKE matching of a JDBC metadata pattern ({@code %}, {@code _}, {@code \} escapes). */
  static boolean matches(Meta.Pat pat, String value) {
    return SessionCatalog.like(pattern(pat), value);
  }
}
