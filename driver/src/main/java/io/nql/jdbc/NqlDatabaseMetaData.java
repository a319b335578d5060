package io.nql.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaDatabaseMetaData;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta.DatabaseProperty;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.MetaDataOperation;

/**
 * Database metadata: Avatica's, with NQL's identity (the server's product name and version) and
 * flags that say what NQL does. The lexical rules (double quotes; unquoted names folded to lower
 * case; quoted names kept and matched exactly) are set on the connection, from which Avatica
 * derives the {@code stores*Identifiers} answers.
 */
final class NqlDatabaseMetaData extends AvaticaDatabaseMetaData {
  private volatile Properties server;

  NqlDatabaseMetaData(AvaticaConnection connection) {
    super(connection);
  }

  /** The server's database properties, fetched once. */
  private Properties server() {
    Properties p = server;
    if (p == null) {
      p = getRemoteAvaticaProperties();
      server = p;
    }
    return p;
  }

  private String serverString(DatabaseProperty key, String fallback) {
    String v = server().getProperty(key.name());
    return v == null || v.isEmpty() ? fallback : v;
  }

  private int serverInt(DatabaseProperty key, int fallback) {
    try {
      int v = Integer.parseInt(server().getProperty(key.name(), ""));
      return v < 0 ? fallback : v;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  @Override
  public String getDatabaseProductName() throws SQLException {
    return serverString(DatabaseProperty.GET_DATABASE_PRODUCT_NAME, super.getDatabaseProductName());
  }

  @Override
  public String getDatabaseProductVersion() throws SQLException {
    return serverString(
        DatabaseProperty.GET_DATABASE_PRODUCT_VERSION, super.getDatabaseProductVersion());
  }

  @Override
  public int getDatabaseMajorVersion() throws SQLException {
    return serverInt(DatabaseProperty.GET_DATABASE_MAJOR_VERSION, super.getDatabaseMajorVersion());
  }

  @Override
  public int getDatabaseMinorVersion() throws SQLException {
    return serverInt(DatabaseProperty.GET_DATABASE_MINOR_VERSION, super.getDatabaseMinorVersion());
  }

  // --- NULL sorts as the highest value (Calcite's default collation)

  @Override
  public boolean nullsAreSortedHigh() {
    return true;
  }

  @Override
  public boolean nullsAreSortedLow() {
    return false;
  }

  @Override
  public boolean nullsAreSortedAtStart() {
    return false;
  }

  @Override
  public boolean nullsAreSortedAtEnd() {
    return false;
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    return false;
  }

  @Override
  public int getSQLStateType() {
    return sqlStateSQL;
  }

  // --- names: schema.table; the catalog (nql) cannot be written in a statement

  @Override
  public boolean supportsCatalogsInDataManipulation() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInTableDefinitions() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInProcedureCalls() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInIndexDefinitions() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInPrivilegeDefinitions() {
    return false;
  }

  @Override
  public boolean supportsSchemasInProcedureCalls() {
    return false;
  }

  @Override
  public boolean supportsSchemasInIndexDefinitions() {
    return false;
  }

  @Override
  public boolean supportsSchemasInPrivilegeDefinitions() {
    return false;
  }

  @Override
  public String getExtraNameCharacters() {
    return "$";
  }

  // --- no transactions: every statement takes effect on its own

  @Override
  public boolean supportsDataManipulationTransactionsOnly() {
    return false;
  }

  @Override
  public boolean dataDefinitionCausesTransactionCommit() {
    return false;
  }

  @Override
  public boolean supportsStoredFunctionsUsingCallSyntax() {
    return false;
  }

  @Override
  public boolean supportsANSI92IntermediateSQL() {
    return false;
  }

  @Override
  public boolean supportsANSI92FullSQL() {
    return false;
  }

  @Override
  public boolean supportsResultSetHoldability(int holdability) {
    // results stay open until read or closed; there is no commit to close them
    return holdability == ResultSet.HOLD_CURSORS_OVER_COMMIT;
  }

  // --- foreign keys: none. Avatica answers these on the client, but names the last column
  // DEFERABILITY; JDBC names it DEFERRABILITY.

  private static final String[] FOREIGN_KEY_COLUMNS = {
    "PKTABLE_CAT",
    "PKTABLE_SCHEM",
    "PKTABLE_NAME",
    "PKCOLUMN_NAME",
    "FKTABLE_CAT",
    "FKTABLE_SCHEM",
    "FKTABLE_NAME",
    "FKCOLUMN_NAME",
    "KEY_SEQ",
    "UPDATE_RULE",
    "DELETE_RULE",
    "FK_NAME",
    "PK_NAME",
    "DEFERRABILITY"
  };

  private ResultSet noForeignKeys(MetaDataOperation op, Object... args) throws SQLException {
    List<ColumnMetaData> columns = new ArrayList<>();
    for (int i = 0; i < FOREIGN_KEY_COLUMNS.length; i++) {
      String name = FOREIGN_KEY_COLUMNS[i];
      boolean smallint =
          name.equals("KEY_SEQ") || name.endsWith("_RULE") || name.equals("DEFERRABILITY");
      columns.add(
          MetaImpl.columnMetaData(name, i, smallint ? short.class : String.class, !smallint));
    }
    return ((NqlConnection) getConnection()).emptyMetadataResult(columns, new QueryState(op, args));
  }

  @Override
  public ResultSet getImportedKeys(String catalog, String schema, String table)
      throws SQLException {
    return noForeignKeys(MetaDataOperation.GET_IMPORTED_KEYS, catalog, schema, table);
  }

  @Override
  public ResultSet getExportedKeys(String catalog, String schema, String table)
      throws SQLException {
    return noForeignKeys(MetaDataOperation.GET_EXPORTED_KEYS, catalog, schema, table);
  }

  @Override
  public ResultSet getCrossReference(
      String parentCatalog,
      String parentSchema,
      String parentTable,
      String foreignCatalog,
      String foreignSchema,
      String foreignTable)
      throws SQLException {
    return noForeignKeys(
        MetaDataOperation.GET_CROSS_REFERENCE,
        parentCatalog,
        parentSchema,
        parentTable,
        foreignCatalog,
        foreignSchema,
        foreignTable);
  }

  @Override
  public boolean supportsTransactionIsolationLevel(int level) {
    return level == Connection.TRANSACTION_NONE;
  }
}
