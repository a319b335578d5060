package io.nql.planner.meta;

import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.VisibleTable;
import io.nql.planner.result.ResultColumn;
import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.calcite.avatica.Meta;

/**
 * The result set of {@code getColumns}: the columns the session may read of the tables it may
 * query, described as JDBC specifies.
 */
final class ColumnResults {
  static final List<ResultColumn> COLUMNS =
      MetadataColumns.of(
          "TABLE_CAT:s",
          "TABLE_SCHEM:s",
          "TABLE_NAME:S",
          "COLUMN_NAME:S",
          "DATA_TYPE:i",
          "TYPE_NAME:s",
          "COLUMN_SIZE:i",
          "BUFFER_LENGTH:i",
          "DECIMAL_DIGITS:i",
          "NUM_PREC_RADIX:i",
          "NULLABLE:i",
          "REMARKS:s",
          "COLUMN_DEF:s",
          "SQL_DATA_TYPE:i",
          "SQL_DATETIME_SUB:i",
          "CHAR_OCTET_LENGTH:i",
          "ORDINAL_POSITION:i",
          "IS_NULLABLE:s",
          "SCOPE_CATALOG:s",
          "SCOPE_SCHEMA:s",
          "SCOPE_TABLE:s",
          "SOURCE_DATA_TYPE:h",
          "IS_AUTOINCREMENT:s",
          "IS_GENERATEDCOLUMN:s");

  private ColumnResults() {}

  static MetadataTable columns(
      NqlSession session,
      String catalog,
      Meta.Pat schemaPattern,
      Meta.Pat tablePattern,
      Meta.Pat columnPattern) {
    List<Object[]> rows = new ArrayList<>();
    if (SessionCatalog.catalogMatches(catalog)) {
      // JDBC: ordered by TABLE_CAT, TABLE_SCHEM, TABLE_NAME and ORDINAL_POSITION
      List<VisibleTable> tables = new ArrayList<>(session.visibleTables());
      tables.sort(Comparator.comparing(VisibleTable::schema).thenComparing(VisibleTable::name));
      for (VisibleTable t : tables) {
        if (matches(schemaPattern, t.schema()) && matches(tablePattern, t.name())) {
          addRows(rows, t, columnPattern);
        }
      }
    }
    return new MetadataTable(COLUMNS, rows);
  }

  private static void addRows(List<Object[]> rows, VisibleTable t, Meta.Pat columnPattern) {
    List<ResultColumn> columns = t.columns();
    for (int i = 0; i < columns.size(); i++) {
      ResultColumn c = columns.get(i);
      if (matches(columnPattern, c.name())) {
        rows.add(row(t, c, i + 1));
      }
    }
  }

  private static Object[] row(VisibleTable t, ResultColumn c, int ordinal) {
    return new Object[] {
      SessionCatalog.CATALOG,
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
    };
  }

  /** SQL LIKE matching of a JDBC metadata pattern ({@code %}, {@code _}, {@code \} escapes). */
  private static boolean matches(Meta.Pat pat, String value) {
    return SessionCatalog.like(CatalogResults.pattern(pat), value);
  }
}
