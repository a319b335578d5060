package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.JDBCType;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns JDBC specifies for each {@link java.sql.DatabaseMetaData} result set, as {@code
 * NAME:TYPE} ({@link JDBCType} names) in order, and the assertions the replay makes with them.
 */
final class JdbcShapes {
  private JdbcShapes() {}

  static final List<String> CATALOGS = List.of("TABLE_CAT:VARCHAR");

  static final List<String> SCHEMAS = List.of("TABLE_SCHEM:VARCHAR", "TABLE_CATALOG:VARCHAR");

  static final List<String> TABLE_TYPES = List.of("TABLE_TYPE:VARCHAR");

  static final List<String> TABLES =
      List.of(
          "TABLE_CAT:VARCHAR",
          "TABLE_SCHEM:VARCHAR",
          "TABLE_NAME:VARCHAR",
          "TABLE_TYPE:VARCHAR",
          "REMARKS:VARCHAR",
          "TYPE_CAT:VARCHAR",
          "TYPE_SCHEM:VARCHAR",
          "TYPE_NAME:VARCHAR",
          "SELF_REFERENCING_COL_NAME:VARCHAR",
          "REF_GENERATION:VARCHAR");

  static final List<String> COLUMNS =
      List.of(
          "TABLE_CAT:VARCHAR",
          "TABLE_SCHEM:VARCHAR",
          "TABLE_NAME:VARCHAR",
          "COLUMN_NAME:VARCHAR",
          "DATA_TYPE:INTEGER",
          "TYPE_NAME:VARCHAR",
          "COLUMN_SIZE:INTEGER",
          "BUFFER_LENGTH:INTEGER",
          "DECIMAL_DIGITS:INTEGER",
          "NUM_PREC_RADIX:INTEGER",
          "NULLABLE:INTEGER",
          "REMARKS:VARCHAR",
          "COLUMN_DEF:VARCHAR",
          "SQL_DATA_TYPE:INTEGER",
          "SQL_DATETIME_SUB:INTEGER",
          "CHAR_OCTET_LENGTH:INTEGER",
          "ORDINAL_POSITION:INTEGER",
          "IS_NULLABLE:VARCHAR",
          "SCOPE_CATALOG:VARCHAR",
          "SCOPE_SCHEMA:VARCHAR",
          "SCOPE_TABLE:VARCHAR",
          "SOURCE_DATA_TYPE:SMALLINT",
          "IS_AUTOINCREMENT:VARCHAR",
          "IS_GENERATEDCOLUMN:VARCHAR");

  static final List<String> TYPE_INFO =
      List.of(
          "TYPE_NAME:VARCHAR",
          "DATA_TYPE:INTEGER",
          "PRECISION:INTEGER",
          "LITERAL_PREFIX:VARCHAR",
          "LITERAL_SUFFIX:VARCHAR",
          "CREATE_PARAMS:VARCHAR",
          "NULLABLE:SMALLINT",
          "CASE_SENSITIVE:BOOLEAN",
          "SEARCHABLE:SMALLINT",
          "UNSIGNED_ATTRIBUTE:BOOLEAN",
          "FIXED_PREC_SCALE:BOOLEAN",
          "AUTO_INCREMENT:BOOLEAN",
          "LOCAL_TYPE_NAME:VARCHAR",
          "MINIMUM_SCALE:SMALLINT",
          "MAXIMUM_SCALE:SMALLINT",
          "SQL_DATA_TYPE:INTEGER",
          "SQL_DATETIME_SUB:INTEGER",
          "NUM_PREC_RADIX:INTEGER");

  static final List<String> CLIENT_INFO_PROPERTIES =
      List.of("NAME:VARCHAR", "MAX_LEN:INTEGER", "DEFAULT_VALUE:VARCHAR", "DESCRIPTION:VARCHAR");

  static final List<String> PRIMARY_KEYS =
      List.of(
          "TABLE_CAT:VARCHAR",
          "TABLE_SCHEM:VARCHAR",
          "TABLE_NAME:VARCHAR",
          "COLUMN_NAME:VARCHAR",
          "KEY_SEQ:SMALLINT",
          "PK_NAME:VARCHAR");

  /** getImportedKeys, getExportedKeys, getCrossReference. */
  static final List<String> FOREIGN_KEYS =
      List.of(
          "PKTABLE_CAT:VARCHAR",
          "PKTABLE_SCHEM:VARCHAR",
          "PKTABLE_NAME:VARCHAR",
          "PKCOLUMN_NAME:VARCHAR",
          "FKTABLE_CAT:VARCHAR",
          "FKTABLE_SCHEM:VARCHAR",
          "FKTABLE_NAME:VARCHAR",
          "FKCOLUMN_NAME:VARCHAR",
          "KEY_SEQ:SMALLINT",
          "UPDATE_RULE:SMALLINT",
          "DELETE_RULE:SMALLINT",
          "FK_NAME:VARCHAR",
          "PK_NAME:VARCHAR",
          "DEFERRABILITY:SMALLINT");

  static final List<String> INDEX_INFO =
      List.of(
          "TABLE_CAT:VARCHAR",
          "TABLE_SCHEM:VARCHAR",
          "TABLE_NAME:VARCHAR",
          "NON_UNIQUE:BOOLEAN",
          "INDEX_QUALIFIER:VARCHAR",
          "INDEX_NAME:VARCHAR",
          "TYPE:SMALLINT",
          "ORDINAL_POSITION:SMALLINT",
          "COLUMN_NAME:VARCHAR",
          "ASC_OR_DESC:VARCHAR",
          "CARDINALITY:BIGINT",
          "PAGES:BIGINT",
          "FILTER_CONDITION:VARCHAR");

  static final List<String> TABLE_PRIVILEGES =
      List.of(
          "TABLE_CAT:VARCHAR",
          "TABLE_SCHEM:VARCHAR",
          "TABLE_NAME:VARCHAR",
          "GRANTOR:VARCHAR",
          "GRANTEE:VARCHAR",
          "PRIVILEGE:VARCHAR",
          "IS_GRANTABLE:VARCHAR");

  static final List<String> COLUMN_PRIVILEGES =
      List.of(
          "TABLE_CAT:VARCHAR",
          "TABLE_SCHEM:VARCHAR",
          "TABLE_NAME:VARCHAR",
          "COLUMN_NAME:VARCHAR",
          "GRANTOR:VARCHAR",
          "GRANTEE:VARCHAR",
          "PRIVILEGE:VARCHAR",
          "IS_GRANTABLE:VARCHAR");

  /** getBestRowIdentifier, getVersionColumns. */
  static final List<String> ROW_IDENTIFIERS =
      List.of(
          "SCOPE:SMALLINT",
          "COLUMN_NAME:VARCHAR",
          "DATA_TYPE:INTEGER",
          "TYPE_NAME:VARCHAR",
          "COLUMN_SIZE:INTEGER",
          "BUFFER_LENGTH:INTEGER",
          "DECIMAL_DIGITS:SMALLINT",
          "PSEUDO_COLUMN:SMALLINT");

  /** JDBC leaves the names of the three reserved columns open; Avatica calls them FUTURE_USE. */
  static final List<String> PROCEDURES =
      List.of(
          "PROCEDURE_CAT:VARCHAR",
          "PROCEDURE_SCHEM:VARCHAR",
          "PROCEDURE_NAME:VARCHAR",
          "FUTURE_USE1:VARCHAR",
          "FUTURE_USE2:VARCHAR",
          "FUTURE_USE3:VARCHAR",
          "REMARKS:VARCHAR",
          "PROCEDURE_TYPE:SMALLINT",
          "SPECIFIC_NAME:VARCHAR");

  static final List<String> PROCEDURE_COLUMNS =
      List.of(
          "PROCEDURE_CAT:VARCHAR",
          "PROCEDURE_SCHEM:VARCHAR",
          "PROCEDURE_NAME:VARCHAR",
          "COLUMN_NAME:VARCHAR",
          "COLUMN_TYPE:SMALLINT",
          "DATA_TYPE:INTEGER",
          "TYPE_NAME:VARCHAR",
          "PRECISION:INTEGER",
          "LENGTH:INTEGER",
          "SCALE:SMALLINT",
          "RADIX:SMALLINT",
          "NULLABLE:SMALLINT",
          "REMARKS:VARCHAR",
          "COLUMN_DEF:VARCHAR",
          "SQL_DATA_TYPE:INTEGER",
          "SQL_DATETIME_SUB:INTEGER",
          "CHAR_OCTET_LENGTH:INTEGER",
          "ORDINAL_POSITION:INTEGER",
          "IS_NULLABLE:VARCHAR",
          "SPECIFIC_NAME:VARCHAR");

  static final List<String> FUNCTIONS =
      List.of(
          "FUNCTION_CAT:VARCHAR",
          "FUNCTION_SCHEM:VARCHAR",
          "FUNCTION_NAME:VARCHAR",
          "REMARKS:VARCHAR",
          "FUNCTION_TYPE:SMALLINT",
          "SPECIFIC_NAME:VARCHAR");

  static final List<String> FUNCTION_COLUMNS =
      List.of(
          "FUNCTION_CAT:VARCHAR",
          "FUNCTION_SCHEM:VARCHAR",
          "FUNCTION_NAME:VARCHAR",
          "COLUMN_NAME:VARCHAR",
          "COLUMN_TYPE:SMALLINT",
          "DATA_TYPE:INTEGER",
          "TYPE_NAME:VARCHAR",
          "PRECISION:INTEGER",
          "LENGTH:INTEGER",
          "SCALE:SMALLINT",
          "RADIX:SMALLINT",
          "NULLABLE:SMALLINT",
          "REMARKS:VARCHAR",
          "CHAR_OCTET_LENGTH:INTEGER",
          "ORDINAL_POSITION:INTEGER",
          "IS_NULLABLE:VARCHAR",
          "SPECIFIC_NAME:VARCHAR");

  static final List<String> UDTS =
      List.of(
          "TYPE_CAT:VARCHAR",
          "TYPE_SCHEM:VARCHAR",
          "TYPE_NAME:VARCHAR",
          "CLASS_NAME:VARCHAR",
          "DATA_TYPE:INTEGER",
          "REMARKS:VARCHAR",
          "BASE_TYPE:SMALLINT");

  static final List<String> SUPER_TYPES =
      List.of(
          "TYPE_CAT:VARCHAR",
          "TYPE_SCHEM:VARCHAR",
          "TYPE_NAME:VARCHAR",
          "SUPERTYPE_CAT:VARCHAR",
          "SUPERTYPE_SCHEM:VARCHAR",
          "SUPERTYPE_NAME:VARCHAR");

  static final List<String> SUPER_TABLES =
      List.of(
          "TABLE_CAT:VARCHAR",
          "TABLE_SCHEM:VARCHAR",
          "TABLE_NAME:VARCHAR",
          "SUPERTABLE_NAME:VARCHAR");

  static final List<String> ATTRIBUTES =
      List.of(
          "TYPE_CAT:VARCHAR",
          "TYPE_SCHEM:VARCHAR",
          "TYPE_NAME:VARCHAR",
          "ATTR_NAME:VARCHAR",
          "DATA_TYPE:INTEGER",
          "ATTR_TYPE_NAME:VARCHAR",
          "ATTR_SIZE:INTEGER",
          "DECIMAL_DIGITS:INTEGER",
          "NUM_PREC_RADIX:INTEGER",
          "NULLABLE:INTEGER",
          "REMARKS:VARCHAR",
          "ATTR_DEF:VARCHAR",
          "SQL_DATA_TYPE:INTEGER",
          "SQL_DATETIME_SUB:INTEGER",
          "CHAR_OCTET_LENGTH:INTEGER",
          "ORDINAL_POSITION:INTEGER",
          "IS_NULLABLE:VARCHAR",
          "SCOPE_CATALOG:VARCHAR",
          "SCOPE_SCHEMA:VARCHAR",
          "SCOPE_TABLE:VARCHAR",
          "SOURCE_DATA_TYPE:SMALLINT");

  static final List<String> PSEUDO_COLUMNS =
      List.of(
          "TABLE_CAT:VARCHAR",
          "TABLE_SCHEM:VARCHAR",
          "TABLE_NAME:VARCHAR",
          "COLUMN_NAME:VARCHAR",
          "DATA_TYPE:INTEGER",
          "COLUMN_SIZE:INTEGER",
          "DECIMAL_DIGITS:INTEGER",
          "NUM_PREC_RADIX:INTEGER",
          "COLUMN_USAGE:VARCHAR",
          "REMARKS:VARCHAR",
          "CHAR_OCTET_LENGTH:INTEGER",
          "IS_NULLABLE:VARCHAR");

  /** The result set's columns as {@code NAME:TYPE}; labels must equal names. */
  static List<String> shape(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<String> actual = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      actual.add(md.getColumnName(i) + ":" + JDBCType.valueOf(md.getColumnType(i)).getName());
      assertThat(md.getColumnLabel(i)).isEqualTo(md.getColumnName(i));
    }
    return actual;
  }

  static void assertShape(ResultSet rs, List<String> shape) throws SQLException {
    assertThat(shape(rs)).containsExactlyElementsOf(shape);
  }

  /** Asserts the shape and that there are no rows; closes the result set. */
  static void assertEmpty(ResultSet rs, List<String> shape) throws SQLException {
    try (rs) {
      assertShape(rs, shape);
      assertThat(rs.next()).isFalse();
    }
  }

  /**
   * Asserts that a call the driver answers from a Flight SQL stream has no rows and, on a driver
   * that types empty results, the shape; closes the result set.
   */
  static void assertEmpty(ReplayClient client, ResultSet rs, List<String> shape)
      throws SQLException {
    if (client.flight()) {
      try (rs) {
        FlightJdbcDriver.assertUntypedEmpty(rs);
      }
    } else {
      assertEmpty(rs, shape);
    }
  }

  static List<List<Object>> rows(ResultSet rs) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    int n = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      List<Object> row = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        row.add(rs.getObject(i));
      }
      out.add(row);
    }
    return out;
  }

  /** {@code schema.table} of each row of a getTables result; closes it. */
  static List<String> tableNames(ResultSet rs) throws SQLException {
    List<String> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        out.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"));
      }
    }
    return out;
  }
}
