package io.nql.server.gateway;

import static io.nql.server.gateway.JdbcShapes.assertEmpty;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The calls a tool makes for what NQL does not have — keys, indexes, privileges, row identifiers,
 * routines, user-defined types, pseudo-columns — over each driver: each returns the JDBC-specified
 * columns and no rows.
 *
 * <p>The Flight SQL JDBC driver answers most of these itself, with Avatica's typed empty results;
 * the key calls it sends to the server (GetPrimaryKeys, GetImportedKeys, GetExportedKeys,
 * GetCrossReference), whose empty answers it presents without columns ({@link
 * FlightJdbcDriver#assertUntypedEmpty}); the server's typed answers are checked in {@link
 * FlightMetadataCommandsTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmptyMetadataReplayTest {
  @RegisterExtension static final ReplayClient.Gateways GATEWAYS = new ReplayClient.Gateways();

  @ParameterizedTest
  @EnumSource(ReplayClient.class)
  void keysIndexesPrivilegesRoutinesAreTypedAndEmpty(ReplayClient client) throws Exception {
    try (Connection c = client.buyer(GATEWAYS)) {
      DatabaseMetaData md = c.getMetaData();
      String schema = "company_data";
      String table = "purchases";
      assertEmpty(client, md.getPrimaryKeys(null, schema, table), JdbcShapes.PRIMARY_KEYS);
      assertEmpty(client, md.getImportedKeys(null, schema, table), JdbcShapes.FOREIGN_KEYS);
      assertEmpty(client, md.getExportedKeys(null, schema, table), JdbcShapes.FOREIGN_KEYS);
      assertEmpty(
          client,
          md.getCrossReference(null, schema, table, null, "acme", "orders_public"),
          JdbcShapes.FOREIGN_KEYS);
      assertEmpty(md.getIndexInfo(null, schema, table, false, true), JdbcShapes.INDEX_INFO);
      assertEmpty(md.getTablePrivileges(null, schema, "%"), JdbcShapes.TABLE_PRIVILEGES);
      assertEmpty(md.getColumnPrivileges(null, schema, table, "%"), JdbcShapes.COLUMN_PRIVILEGES);
      assertEmpty(
          md.getBestRowIdentifier(null, schema, table, DatabaseMetaData.bestRowSession, true),
          JdbcShapes.ROW_IDENTIFIERS);
      assertEmpty(md.getVersionColumns(null, schema, table), JdbcShapes.ROW_IDENTIFIERS);
      assertEmpty(md.getProcedures(null, null, "%"), JdbcShapes.PROCEDURES);
      assertEmpty(md.getProcedureColumns(null, null, "%", "%"), JdbcShapes.PROCEDURE_COLUMNS);
      assertEmpty(md.getFunctions(null, null, "%"), JdbcShapes.FUNCTIONS);
      assertEmpty(md.getFunctionColumns(null, null, "%", "%"), JdbcShapes.FUNCTION_COLUMNS);
      assertEmpty(md.getUDTs(null, null, "%", null), JdbcShapes.UDTS);
      assertEmpty(md.getSuperTypes(null, null, "%"), JdbcShapes.SUPER_TYPES);
      assertEmpty(md.getSuperTables(null, null, "%"), JdbcShapes.SUPER_TABLES);
      assertEmpty(md.getAttributes(null, null, "%", "%"), JdbcShapes.ATTRIBUTES);
      // The rule's pseudo-columns are ordinary columns of it (SELECT * returns them): no hidden
      // pseudo-columns exist.
      assertEmpty(
          md.getPseudoColumns(null, "acme", "orders_public", "%"), JdbcShapes.PSEUDO_COLUMNS);
    }
  }
}
