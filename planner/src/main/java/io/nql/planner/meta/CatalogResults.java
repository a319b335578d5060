package io.nql.planner.meta;

import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.VisibleTable;
import io.nql.planner.result.ResultColumn;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.Meta;

/**
 * The result sets of {@code getCatalogs}, {@code getTableTypes}, {@code getSchemas} and {@code
 * getTables}, built from what the session may query ({@link SessionCatalog}): nothing the caller
 * cannot query ever appears here.
 */
final class CatalogResults {
  static final List<ResultColumn> CATALOGS = MetadataColumns.of("TABLE_CAT:S");

  static final List<ResultColumn> TABLE_TYPES = MetadataColumns.of("TABLE_TYPE:S");

  static final List<ResultColumn> SCHEMAS = MetadataColumns.of("TABLE_SCHEM:S", "TABLE_CATALOG:s");

  static final List<ResultColumn> TABLES =
      MetadataColumns.of(
          "TABLE_CAT:s",
          "TABLE_SCHEM:s",
          "TABLE_NAME:S",
          "TABLE_TYPE:s",
          "REMARKS:s",
          "TYPE_CAT:s",
          "TYPE_SCHEM:s",
          "TYPE_NAME:s",
          "SELF_REFERENCING_COL_NAME:s",
          "REF_GENERATION:s");

  private CatalogResults() {}

  static MetadataTable catalogs() {
    return new MetadataTable(CATALOGS, List.<Object[]>of(new Object[] {SessionCatalog.CATALOG}));
  }

  static MetadataTable tableTypes() {
    List<Object[]> rows = new ArrayList<>();
    for (String type : SessionCatalog.TABLE_TYPES) {
      rows.add(new Object[] {type});
    }
    return new MetadataTable(TABLE_TYPES, rows);
  }

  static MetadataTable schemas(NqlSession session, String catalog, Meta.Pat schemaPattern) {
    List<Object[]> rows = new ArrayList<>();
    for (String s : SessionCatalog.schemas(session, catalog, pattern(schemaPattern))) {
      rows.add(new Object[] {s, SessionCatalog.CATALOG});
    }
    return new MetadataTable(SCHEMAS, rows);
  }

  static MetadataTable tables(
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
            SessionCatalog.CATALOG,
            t.schema(),
            t.name(),
            t.type(),
            t.remarks(),
            null,
            null,
            null,
            null,
            null
          });
    }
    return new MetadataTable(TABLES, rows);
  }

  /** The LIKE pattern of a JDBC metadata argument, {@code null} for all. */
  static String pattern(Meta.Pat pat) {
    return pat == null ? null : pat.s;
  }
}
