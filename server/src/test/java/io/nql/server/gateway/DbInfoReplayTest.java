package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The capability calls of the replay: every {@link DatabaseMetaData} call sqlline's {@code !dbinfo}
 * makes (sqlline {@code Commands.METHODS}) and those DBeaver and DataGrip make on connect, over
 * each driver. Every call returns; each answer is NQL's, checked by statements in SqlSupportTest,
 * except where a driver answers on its own: listed below for {@code jdbc:nql} and in {@link
 * FlightJdbcDriver} for the Flight SQL JDBC driver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DbInfoReplayTest {
  @RegisterExtension static final ReplayClient.Gateways GATEWAYS = new ReplayClient.Gateways();

  /** sqlline's {@code !dbinfo} calls, in its order. */
  static final List<String> SQLLINE_DBINFO =
      List.of(
          "allProceduresAreCallable",
          "allTablesAreSelectable",
          "dataDefinitionCausesTransactionCommit",
          "dataDefinitionIgnoredInTransactions",
          "doesMaxRowSizeIncludeBlobs",
          "getCatalogSeparator",
          "getCatalogTerm",
          "getDatabaseProductName",
          "getDatabaseProductVersion",
          "getDefaultTransactionIsolation",
          "getDriverMajorVersion",
          "getDriverMinorVersion",
          "getDriverName",
          "getDriverVersion",
          "getExtraNameCharacters",
          "getIdentifierQuoteString",
          "getMaxBinaryLiteralLength",
          "getMaxCatalogNameLength",
          "getMaxCharLiteralLength",
          "getMaxColumnNameLength",
          "getMaxColumnsInGroupBy",
          "getMaxColumnsInIndex",
          "getMaxColumnsInOrderBy",
          "getMaxColumnsInSelect",
          "getMaxColumnsInTable",
          "getMaxConnections",
          "getMaxCursorNameLength",
          "getMaxIndexLength",
          "getMaxProcedureNameLength",
          "getMaxRowSize",
          "getMaxSchemaNameLength",
          "getMaxStatementLength",
          "getMaxStatements",
          "getMaxTableNameLength",
          "getMaxTablesInSelect",
          "getMaxUserNameLength",
          "getNumericFunctions",
          "getProcedureTerm",
          "getSchemaTerm",
          "getSearchStringEscape",
          "getSQLKeywords",
          "getStringFunctions",
          "getSystemFunctions",
          "getTimeDateFunctions",
          "getURL",
          "getUserName",
          "isCatalogAtStart",
          "isReadOnly",
          "nullPlusNonNullIsNull",
          "nullsAreSortedAtEnd",
          "nullsAreSortedAtStart",
          "nullsAreSortedHigh",
          "nullsAreSortedLow",
          "storesLowerCaseIdentifiers",
          "storesLowerCaseQuotedIdentifiers",
          "storesMixedCaseIdentifiers",
          "storesMixedCaseQuotedIdentifiers",
          "storesUpperCaseIdentifiers",
          "storesUpperCaseQuotedIdentifiers",
          "supportsAlterTableWithAddColumn",
          "supportsAlterTableWithDropColumn",
          "supportsANSI92EntryLevelSQL",
          "supportsANSI92FullSQL",
          "supportsANSI92IntermediateSQL",
          "supportsBatchUpdates",
          "supportsCatalogsInDataManipulation",
          "supportsCatalogsInIndexDefinitions",
          "supportsCatalogsInPrivilegeDefinitions",
          "supportsCatalogsInProcedureCalls",
          "supportsCatalogsInTableDefinitions",
          "supportsColumnAliasing",
          "supportsConvert",
          "supportsCoreSQLGrammar",
          "supportsCorrelatedSubqueries",
          "supportsDataDefinitionAndDataManipulationTransactions",
          "supportsDataManipulationTransactionsOnly",
          "supportsDifferentTableCorrelationNames",
          "supportsExpressionsInOrderBy",
          "supportsExtendedSQLGrammar",
          "supportsFullOuterJoins",
          "supportsGroupBy",
          "supportsGroupByBeyondSelect",
          "supportsGroupByUnrelated",
          "supportsIntegrityEnhancementFacility",
          "supportsLikeEscapeClause",
          "supportsLimitedOuterJoins",
          "supportsMinimumSQLGrammar",
          "supportsMixedCaseIdentifiers",
          "supportsMixedCaseQuotedIdentifiers",
          "supportsMultipleResultSets",
          "supportsMultipleTransactions",
          "supportsNonNullableColumns",
          "supportsOpenCursorsAcrossCommit",
          "supportsOpenCursorsAcrossRollback",
          "supportsOpenStatementsAcrossCommit",
          "supportsOpenStatementsAcrossRollback",
          "supportsOrderByUnrelated",
          "supportsOuterJoins",
          "supportsPositionedDelete",
          "supportsPositionedUpdate",
          "supportsSchemasInDataManipulation",
          "supportsSchemasInIndexDefinitions",
          "supportsSchemasInPrivilegeDefinitions",
          "supportsSchemasInProcedureCalls",
          "supportsSchemasInTableDefinitions",
          "supportsSelectForUpdate",
          "supportsStoredProcedures",
          "supportsSubqueriesInComparisons",
          "supportsSubqueriesInExists",
          "supportsSubqueriesInIns",
          "supportsSubqueriesInQuantifieds",
          "supportsTableCorrelationNames",
          "supportsTransactions",
          "supportsUnion",
          "supportsUnionAll",
          "usesLocalFilePerTable",
          "usesLocalFiles");

  /** Calls whose answers name the driver, server or user: checked in ConnectReplayTest. */
  static final Set<String> IDENTITY =
      Set.of(
          "getDatabaseProductVersion",
          "getDatabaseMajorVersion",
          "getDatabaseMinorVersion",
          "getDriverMajorVersion",
          "getDriverMinorVersion",
          "getDriverName",
          "getDriverVersion",
          "getNumericFunctions",
          "getSQLKeywords",
          "getStringFunctions",
          "getSystemFunctions",
          "getTimeDateFunctions",
          "getURL",
          "getUserName");

  /** NQL's answer to each call without arguments (identity calls aside). */
  static final Map<String, Object> NQL = new LinkedHashMap<>();

  static {
    Object[] answers = {
      // no procedures at all, so every one listed is callable
      "allProceduresAreCallable", true,
      "allTablesAreSelectable", true,
      "dataDefinitionCausesTransactionCommit", false,
      "dataDefinitionIgnoredInTransactions", false,
      "doesMaxRowSizeIncludeBlobs", false,
      "getCatalogSeparator", ".",
      "getCatalogTerm", "catalog",
      "getDatabaseProductName", "NQL Gateway",
      "getDefaultTransactionIsolation", Connection.TRANSACTION_NONE,
      "getExtraNameCharacters", "$",
      "getIdentifierQuoteString", "\"",
      // 0: no limit, or none known; names are limited by the grammar
      "getMaxBinaryLiteralLength", 0,
      "getMaxCatalogNameLength", 0,
      "getMaxCharLiteralLength", 0,
      "getMaxColumnNameLength", 128,
      "getMaxColumnsInGroupBy", 0,
      "getMaxColumnsInIndex", 0,
      "getMaxColumnsInOrderBy", 0,
      "getMaxColumnsInSelect", 0,
      "getMaxColumnsInTable", 0,
      "getMaxConnections", 0,
      "getMaxCursorNameLength", 0,
      "getMaxIndexLength", 0,
      "getMaxProcedureNameLength", 0,
      "getMaxRowSize", 0,
      "getMaxSchemaNameLength", 128,
      "getMaxStatementLength", 0,
      "getMaxStatements", 0,
      "getMaxTableNameLength", 128,
      "getMaxTablesInSelect", 0,
      "getMaxUserNameLength", 128,
      "getProcedureTerm", "procedure",
      "getSchemaTerm", "schema",
      "getSearchStringEscape", "\\",
      "isCatalogAtStart", true,
      // DDL, COPY INTO and admin statements write
      "isReadOnly", false,
      "nullPlusNonNullIsNull", true,
      // NULL sorts as the highest value: last ascending, first descending (BrowseReplayTest)
      "nullsAreSortedAtEnd", false,
      "nullsAreSortedAtStart", false,
      "nullsAreSortedHigh", true,
      "nullsAreSortedLow", false,
      // unquoted names fold to lower case; quoted ones keep their case and match exactly
      "storesLowerCaseIdentifiers", true,
      "storesLowerCaseQuotedIdentifiers", false,
      "storesMixedCaseIdentifiers", false,
      "storesMixedCaseQuotedIdentifiers", false,
      "storesUpperCaseIdentifiers", false,
      "storesUpperCaseQuotedIdentifiers", false,
      "supportsAlterTableWithAddColumn", false,
      "supportsAlterTableWithDropColumn", false,
      "supportsANSI92EntryLevelSQL", true,
      "supportsANSI92FullSQL", false,
      "supportsANSI92IntermediateSQL", false,
      // a prepared update runs once per parameter row
      "supportsBatchUpdates", true,
      // the catalog cannot be written in a statement
      "supportsCatalogsInDataManipulation", false,
      "supportsCatalogsInIndexDefinitions", false,
      "supportsCatalogsInPrivilegeDefinitions", false,
      "supportsCatalogsInProcedureCalls", false,
      "supportsCatalogsInTableDefinitions", false,
      "supportsColumnAliasing", true,
      "supportsConvert", true,
      "supportsCoreSQLGrammar", false,
      "supportsCorrelatedSubqueries", true,
      "supportsDataDefinitionAndDataManipulationTransactions", false,
      "supportsDataManipulationTransactionsOnly", false,
      "supportsDifferentTableCorrelationNames", false,
      "supportsExpressionsInOrderBy", true,
      "supportsExtendedSQLGrammar", false,
      "supportsFullOuterJoins", true,
      "supportsGroupBy", true,
      "supportsGroupByBeyondSelect", true,
      "supportsGroupByUnrelated", true,
      "supportsIntegrityEnhancementFacility", false,
      "supportsLikeEscapeClause", true,
      "supportsLimitedOuterJoins", true,
      "supportsMinimumSQLGrammar", true,
      "supportsMixedCaseIdentifiers", false,
      "supportsMixedCaseQuotedIdentifiers", true,
      "supportsMultipleResultSets", false,
      "supportsMultipleTransactions", false,
      "supportsNonNullableColumns", true,
      "supportsOpenCursorsAcrossCommit", false,
      "supportsOpenCursorsAcrossRollback", false,
      "supportsOpenStatementsAcrossCommit", false,
      "supportsOpenStatementsAcrossRollback", false,
      "supportsOrderByUnrelated", true,
      "supportsOuterJoins", true,
      "supportsPositionedDelete", false,
      "supportsPositionedUpdate", false,
      // names are schema.table
      "supportsSchemasInDataManipulation", true,
      "supportsSchemasInIndexDefinitions", false,
      "supportsSchemasInPrivilegeDefinitions", false,
      "supportsSchemasInProcedureCalls", false,
      "supportsSchemasInTableDefinitions", true,
      "supportsSelectForUpdate", false,
      "supportsStoredProcedures", false,
      "supportsSubqueriesInComparisons", true,
      "supportsSubqueriesInExists", true,
      "supportsSubqueriesInIns", true,
      "supportsSubqueriesInQuantifieds", true,
      "supportsTableCorrelationNames", true,
      "supportsTransactions", false,
      "supportsUnion", true,
      "supportsUnionAll", true,
      "usesLocalFilePerTable", false,
      "usesLocalFiles", false,
      // beyond sqlline's list: DBeaver and DataGrip on connect
      "getJDBCMajorVersion", 4,
      "getJDBCMinorVersion", 1,
      "getResultSetHoldability", ResultSet.HOLD_CURSORS_OVER_COMMIT,
      "getSQLStateType", DatabaseMetaData.sqlStateSQL,
      "getRowIdLifetime", RowIdLifetime.ROWID_UNSUPPORTED,
      "supportsSavepoints", false,
      "supportsNamedParameters", false,
      "supportsStoredFunctionsUsingCallSyntax", false,
      "supportsGetGeneratedKeys", false,
      "supportsMultipleOpenResults", false,
      "supportsStatementPooling", false,
      "locatorsUpdateCopy", true,
      "autoCommitFailureClosesAllResultSets", false,
      "generatedKeyAlwaysReturned", false,
    };
    for (int i = 0; i < answers.length; i += 2) {
      NQL.put((String) answers[i], answers[i + 1]);
    }
  }

  private static Object expected(ReplayClient client, String call) {
    Map<String, Object> own = client.flight() ? FlightJdbcDriver.OWN_ANSWERS : Map.of();
    return own.containsKey(call) ? own.get(call) : NQL.get(call);
  }

  @Test
  void everySqllineCallHasAnAnswer() {
    for (String call : SQLLINE_DBINFO) {
      assertThat(NQL.containsKey(call) || IDENTITY.contains(call)).as(call).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(ReplayClient.class)
  void capabilityCallsAnswerWhatNqlDoes(ReplayClient client) throws Exception {
    try (Connection c = client.buyer(GATEWAYS)) {
      DatabaseMetaData md = c.getMetaData();
      List<String> calls = new ArrayList<>(SQLLINE_DBINFO);
      NQL.keySet().stream().filter(k -> !calls.contains(k)).forEach(calls::add);
      List<String> wrong = new ArrayList<>();
      for (String call : calls) {
        Object actual;
        try {
          actual = DatabaseMetaData.class.getMethod(call).invoke(md);
        } catch (InvocationTargetException e) {
          wrong.add(call + " throws " + e.getCause());
          continue;
        }
        if (!IDENTITY.contains(call) && !expected(client, call).equals(actual)) {
          wrong.add(call + " = " + actual + ", expected " + expected(client, call));
        }
      }
      assertThat(wrong).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(ReplayClient.class)
  void capabilityCallsWithArguments(ReplayClient client) throws Exception {
    try (Connection c = client.buyer(GATEWAYS)) {
      DatabaseMetaData md = c.getMetaData();
      // no transactions: every statement takes effect on its own
      assertThat(md.supportsTransactionIsolationLevel(Connection.TRANSACTION_NONE)).isTrue();
      for (int level :
          new int[] {
            Connection.TRANSACTION_READ_UNCOMMITTED,
            Connection.TRANSACTION_READ_COMMITTED,
            Connection.TRANSACTION_REPEATABLE_READ,
            Connection.TRANSACTION_SERIALIZABLE
          }) {
        assertThat(md.supportsTransactionIsolationLevel(level)).as("level " + level).isFalse();
      }
      assertThat(md.supportsResultSetType(ResultSet.TYPE_FORWARD_ONLY)).isTrue();
      assertThat(md.supportsResultSetType(ResultSet.TYPE_SCROLL_INSENSITIVE)).isFalse();
      assertThat(md.supportsResultSetType(ResultSet.TYPE_SCROLL_SENSITIVE)).isFalse();
      assertThat(
              md.supportsResultSetConcurrency(
                  ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY))
          .isTrue();
      if (client.flight()) {
        // Avatica's unimplemented default in the driver
        assertThatThrownBy(
                () -> md.supportsResultSetHoldability(ResultSet.HOLD_CURSORS_OVER_COMMIT))
            .isInstanceOf(RuntimeException.class)
            .hasMessage(FlightJdbcDriver.UNIMPLEMENTED);
      } else {
        // results stay open until read or closed; there is no commit to close them
        assertThat(md.supportsResultSetHoldability(ResultSet.HOLD_CURSORS_OVER_COMMIT)).isTrue();
        assertThat(md.supportsResultSetHoldability(ResultSet.CLOSE_CURSORS_AT_COMMIT)).isFalse();
      }
      // {fn CONVERT(value, SQL_type)} (SqlSupport.conversions)
      assertThat(md.supportsConvert(Types.INTEGER, Types.VARCHAR)).isTrue();
      assertThat(md.supportsConvert(Types.VARCHAR, Types.DATE)).isTrue();
      assertThat(md.supportsConvert(Types.TIMESTAMP, Types.DATE)).isTrue();
      assertThat(md.supportsConvert(Types.DATE, Types.INTEGER)).isFalse();
      assertThat(md.supportsConvert(Types.VARBINARY, Types.INTEGER)).isFalse();
    }
  }
}
