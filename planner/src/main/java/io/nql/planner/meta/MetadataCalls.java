package io.nql.planner.meta;

import io.nql.planner.engine.NqlSession;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.calcite.avatica.remote.ProtobufMeta;

/**
 * The {@link java.sql.DatabaseMetaData} calls of the Meta: result sets built from what the
 * connection's session may query ({@link CatalogResults}, {@link ColumnResults}), typed as JDBC
 * specifies.
 */
public abstract class MetadataCalls implements ProtobufMeta {

  /** The session behind an open connection; fails like an unknown connection otherwise. */
  public abstract NqlSession session(String connectionId);

  /** Runs a call, turning engine errors into Avatica's error type. */
  protected <T> T guard(Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw MetaErrors.toAvatica(e);
    }
  }

  private MetaResultSet metaResult(ConnectionHandle ch, MetadataTable t) {
    StatementHandle h = createStatement(ch);
    List<Object> rows = new ArrayList<>(t.rows().size());
    for (Object[] r : t.rows()) {
      rows.add(java.util.Arrays.asList(r));
    }
    Signature sig =
        Signature.create(
            Frames.columns(t.columns()), "", List.of(), CursorFactory.LIST, StatementType.SELECT);
    return MetaResultSet.create(ch.id, h.id, true, sig, new Frame(0, true, rows));
  }

  @Override
  public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return metaResult(ch, CatalogResults.catalogs());
  }

  @Override
  public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
    return guard(
        () -> metaResult(ch, CatalogResults.schemas(session(ch.id), catalog, schemaPattern)));
  }

  @Override
  public MetaResultSet getTables(
      ConnectionHandle ch,
      String catalog,
      Pat schemaPattern,
      Pat tableNamePattern,
      List<String> typeList) {
    return guard(
        () ->
            metaResult(
                ch,
                CatalogResults.tables(
                    session(ch.id), catalog, schemaPattern, tableNamePattern, typeList)));
  }

  @Override
  public MetaResultSet getColumns(
      ConnectionHandle ch,
      String catalog,
      Pat schemaPattern,
      Pat tableNamePattern,
      Pat columnNamePattern) {
    return guard(
        () ->
            metaResult(
                ch,
                ColumnResults.columns(
                    session(ch.id), catalog, schemaPattern, tableNamePattern, columnNamePattern)));
  }

  @Override
  public MetaResultSet getTableTypes(ConnectionHandle ch) {
    return metaResult(ch, CatalogResults.tableTypes());
  }

  @Override
  public MetaResultSet getTypeInfo(ConnectionHandle ch) {
    return metaResult(ch, TypeInfo.table());
  }

  @Override
  public MetaResultSet getProcedures(
      ConnectionHandle ch, String catalog, Pat schemaPattern, Pat procedureNamePattern) {
    return metaResult(ch, MetadataTable.empty(RoutineResults.PROCEDURES));
  }

  @Override
  public MetaResultSet getProcedureColumns(
      ConnectionHandle ch,
      String catalog,
      Pat schemaPattern,
      Pat procedureNamePattern,
      Pat columnNamePattern) {
    return metaResult(ch, MetadataTable.empty(RoutineResults.PROCEDURE_COLUMNS));
  }

  @Override
  public MetaResultSet getColumnPrivileges(
      ConnectionHandle ch, String catalog, String schema, String table, Pat columnNamePattern) {
    return metaResult(ch, MetadataTable.empty(AccessResults.COLUMN_PRIVILEGES));
  }

  @Override
  public MetaResultSet getTablePrivileges(
      ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern) {
    return metaResult(ch, MetadataTable.empty(AccessResults.TABLE_PRIVILEGES));
  }

  @Override
  public MetaResultSet getBestRowIdentifier(
      ConnectionHandle ch,
      String catalog,
      String schema,
      String table,
      int scope,
      boolean nullable) {
    return metaResult(ch, MetadataTable.empty(KeyResults.ROW_IDENTIFIERS));
  }

  @Override
  public MetaResultSet getVersionColumns(
      ConnectionHandle ch, String catalog, String schema, String table) {
    return metaResult(ch, MetadataTable.empty(KeyResults.ROW_IDENTIFIERS));
  }

  @Override
  public MetaResultSet getPrimaryKeys(
      ConnectionHandle ch, String catalog, String schema, String table) {
    return metaResult(ch, MetadataTable.empty(KeyResults.PRIMARY_KEYS));
  }

  @Override
  public MetaResultSet getImportedKeys(
      ConnectionHandle ch, String catalog, String schema, String table) {
    return metaResult(ch, MetadataTable.empty(KeyResults.FOREIGN_KEYS));
  }

  @Override
  public MetaResultSet getExportedKeys(
      ConnectionHandle ch, String catalog, String schema, String table) {
    return metaResult(ch, MetadataTable.empty(KeyResults.FOREIGN_KEYS));
  }

  @Override
  public MetaResultSet getCrossReference(
      ConnectionHandle ch,
      String parentCatalog,
      String parentSchema,
      String parentTable,
      String foreignCatalog,
      String foreignSchema,
      String foreignTable) {
    return metaResult(ch, MetadataTable.empty(KeyResults.FOREIGN_KEYS));
  }

  @Override
  public MetaResultSet getIndexInfo(
      ConnectionHandle ch,
      String catalog,
      String schema,
      String table,
      boolean unique,
      boolean approximate) {
    return metaResult(ch, MetadataTable.empty(KeyResults.INDEX_INFO));
  }

  @Override
  public MetaResultSet getUDTs(
      ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern, int[] types) {
    return metaResult(ch, MetadataTable.empty(TypeResults.UDTS));
  }

  @Override
  public MetaResultSet getSuperTypes(
      ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern) {
    return metaResult(ch, MetadataTable.empty(TypeResults.SUPER_TYPES));
  }

  @Override
  public MetaResultSet getSuperTables(
      ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern) {
    return metaResult(ch, MetadataTable.empty(TypeResults.SUPER_TABLES));
  }

  @Override
  public MetaResultSet getAttributes(
      ConnectionHandle ch,
      String catalog,
      Pat schemaPattern,
      Pat typeNamePattern,
      Pat attributeNamePattern) {
    return metaResult(ch, MetadataTable.empty(TypeResults.ATTRIBUTES));
  }

  @Override
  public MetaResultSet getClientInfoProperties(ConnectionHandle ch) {
    return metaResult(ch, MetadataTable.empty(AccessResults.CLIENT_INFO_PROPERTIES));
  }

  @Override
  public MetaResultSet getFunctions(
      ConnectionHandle ch, String catalog, Pat schemaPattern, Pat functionNamePattern) {
    return metaResult(ch, MetadataTable.empty(RoutineResults.FUNCTIONS));
  }

  @Override
  public MetaResultSet getFunctionColumns(
      ConnectionHandle ch,
      String catalog,
      Pat schemaPattern,
      Pat functionNamePattern,
      Pat columnNamePattern) {
    return metaResult(ch, MetadataTable.empty(RoutineResults.FUNCTION_COLUMNS));
  }

  @Override
  public MetaResultSet getPseudoColumns(
      ConnectionHandle ch,
      String catalog,
      Pat schemaPattern,
      Pat tableNamePattern,
      Pat columnNamePattern) {
    return metaResult(ch, MetadataTable.empty(KeyResults.PSEUDO_COLUMNS));
  }
}
