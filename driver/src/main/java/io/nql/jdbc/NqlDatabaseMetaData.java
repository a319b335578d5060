package io.nql.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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

  // --- the grammar. The driver must not depend on the planner, so these repeat what the engine's
  // SqlSupport says (Flight SQL's GetSqlInfo answers from it); DatabaseMetaDataAgreementTest keeps
  // the two equal.

  /** The longest schema, table, column or user name, in characters; longer ones are refused. */
  static final int MAX_NAME_LENGTH = 128;

  @Override
  public int getMaxColumnNameLength() {
    return MAX_NAME_LENGTH;
  }

  @Override
  public int getMaxSchemaNameLength() {
    return MAX_NAME_LENGTH;
  }

  @Override
  public int getMaxTableNameLength() {
    return MAX_NAME_LENGTH;
  }

  @Override
  public int getMaxUserNameLength() {
    return MAX_NAME_LENGTH;
  }

  /** ODBC's Core grammar needs {@code CREATE INDEX}, {@code GRANT} and row updates: no. */
  @Override
  public boolean supportsCoreSQLGrammar() {
    return false;
  }

  @Override
  public boolean supportsExtendedSQLGrammar() {
    return false;
  }

  /** {@code FROM t AS t} works: correlation names need not differ from table names. */
  @Override
  public boolean supportsDifferentTableCorrelationNames() {
    return false;
  }

  @Override
  public boolean supportsSubqueriesInQuantifieds() {
    return true;
  }

  @Override
  public boolean supportsConvert() {
    return true;
  }

  @Override
  public boolean supportsConvert(int fromType, int toType) {
    Set<Integer> targets = CONVERSIONS.get(fromType);
    return targets != null && targets.contains(toType);
  }

  private static final Set<Integer> NUMERIC_TARGETS =
      Set.of(
          Types.TINYINT,
          Types.SMALLINT,
          Types.INTEGER,
          Types.BIGINT,
          Types.REAL,
          Types.FLOAT,
          Types.DOUBLE,
          Types.DECIMAL,
          Types.NUMERIC,
          Types.BOOLEAN,
          Types.CHAR,
          Types.VARCHAR,
          Types.TIMESTAMP);

  private static final Set<Integer> INTEGER_TARGETS =
      with(NUMERIC_TARGETS, Types.BINARY, Types.VARBINARY);

  private static final Set<Integer> TEXT_TARGETS =
      with(NUMERIC_TARGETS, Types.DATE, Types.TIME, Types.BINARY, Types.VARBINARY);

  private static final Set<Integer> BYTES_TARGETS =
      Set.of(Types.BINARY, Types.VARBINARY, Types.CHAR, Types.VARCHAR);

  private static final Set<Integer> TIMESTAMP_TARGETS =
      Set.of(
          Types.TIMESTAMP,
          Types.DATE,
          Types.TIME,
          Types.BIGINT,
          Types.REAL,
          Types.FLOAT,
          Types.DOUBLE,
          Types.DECIMAL,
          Types.NUMERIC,
          Types.CHAR,
          Types.VARCHAR);

  /** {@code {fn CONVERT(value, SQL_type)}}: from a type, the types its values convert to. */
  static final Map<Integer, Set<Integer>> CONVERSIONS =
      Map.ofEntries(
          Map.entry(Types.TINYINT, INTEGER_TARGETS),
          Map.entry(Types.SMALLINT, INTEGER_TARGETS),
          Map.entry(Types.INTEGER, INTEGER_TARGETS),
          Map.entry(Types.BIGINT, INTEGER_TARGETS),
          Map.entry(Types.REAL, NUMERIC_TARGETS),
          Map.entry(Types.DOUBLE, NUMERIC_TARGETS),
          Map.entry(Types.DECIMAL, NUMERIC_TARGETS),
          Map.entry(Types.BOOLEAN, Set.of(Types.BOOLEAN, Types.CHAR, Types.VARCHAR)),
          Map.entry(Types.CHAR, TEXT_TARGETS),
          Map.entry(Types.VARCHAR, TEXT_TARGETS),
          Map.entry(Types.BINARY, BYTES_TARGETS),
          Map.entry(Types.VARBINARY, BYTES_TARGETS),
          Map.entry(Types.DATE, Set.of(Types.DATE, Types.TIMESTAMP, Types.CHAR, Types.VARCHAR)),
          Map.entry(Types.TIME, Set.of(Types.TIME, Types.TIMESTAMP, Types.CHAR, Types.VARCHAR)),
          Map.entry(Types.TIMESTAMP, TIMESTAMP_TARGETS),
          Map.entry(Types.TIMESTAMP_WITH_TIMEZONE, TIMESTAMP_TARGETS));

  private static Set<Integer> with(Set<Integer> base, Integer... more) {
    java.util.HashSet<Integer> out = new java.util.HashSet<>(base);
    out.addAll(List.of(more));
    return Set.copyOf(out);
  }
}
