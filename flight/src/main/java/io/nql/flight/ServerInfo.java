package io.nql.flight;

import io.nql.planner.meta.DatabaseProperties;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.sql.FlightSqlProducer.Schemas;
import org.apache.arrow.flight.sql.SqlInfoBuilder;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlInfo;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlNullOrdering;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedCaseSensitivity;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedTransaction;
import org.apache.arrow.memory.BufferAllocator;

/**
 * GetSqlInfo: what NQL is and supports, stated as the JDBC endpoint states it (same product name,
 * version, keywords and functions). Only what is true is claimed: no transactions, no savepoints,
 * no Substrait, no bulk ingestion; cancellation yes.
 */
final class ServerInfo {
  private final SqlInfoBuilder builder = new SqlInfoBuilder();
  private final Set<Integer> provided = new LinkedHashSet<>();

  ServerInfo() {
    String arrowVersion = SqlInfoBuilder.class.getPackage().getImplementationVersion();
    builder
        .withFlightSqlServerName(DatabaseProperties.PRODUCT_NAME)
        .withFlightSqlServerVersion(DatabaseProperties.PRODUCT_VERSION)
        .withFlightSqlServerArrowVersion(arrowVersion == null ? "18.3.0" : arrowVersion)
        .withFlightSqlServerReadOnly(false)
        .withFlightSqlServerSql(true)
        .withFlightSqlServerSubstrait(false)
        .withFlightSqlServerTransaction(SqlSupportedTransaction.SQL_SUPPORTED_TRANSACTION_NONE)
        .withFlightSqlServerCancel(true)
        .withFlightSqlServerBulkIngestion(false)
        .withSqlIdentifierQuoteChar("\"")
        .withSqlIdentifierCase(SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_LOWERCASE)
        // Quoted identifiers keep their case and compare case-sensitively: no value says that.
        .withSqlQuotedIdentifierCase(SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_UNKNOWN)
        .withSqlSearchStringEscape("\\")
        .withSqlExtraNameCharacters("$")
        .withSqlSchemaTerm("schema")
        .withSqlCatalogTerm("catalog")
        .withSqlProcedureTerm("procedure")
        .withSqlDdlCatalog(false)
        .withSqlDdlSchema(false)
        .withSqlDdlTable(true)
        .withSqlNullOrdering(SqlNullOrdering.SQL_NULLS_SORTED_HIGH)
        .withSqlTransactionsSupported(false)
        .withSqlSavepointsSupported(false)
        .withSqlBatchUpdatesSupported(false)
        .withSqlStoredProceduresSupported(false)
        .withSqlSelectForUpdateSupported(false)
        .withSqlAllTablesAreSelectable(true)
        .withSqlDefaultTransactionIsolation(0)
        .withSqlKeywords(DatabaseProperties.SQL_KEYWORDS.split(","))
        .withSqlNumericFunctions(array(DatabaseProperties.NUMERIC_FUNCTIONS))
        .withSqlStringFunctions(array(DatabaseProperties.STRING_FUNCTIONS))
        .withSqlSystemFunctions(array(DatabaseProperties.SYSTEM_FUNCTIONS))
        .withSqlDatetimeFunctions(array(DatabaseProperties.TIME_DATE_FUNCTIONS));
    for (SqlInfo i :
        List.of(
            SqlInfo.FLIGHT_SQL_SERVER_NAME,
            SqlInfo.FLIGHT_SQL_SERVER_VERSION,
            SqlInfo.FLIGHT_SQL_SERVER_ARROW_VERSION,
            SqlInfo.FLIGHT_SQL_SERVER_READ_ONLY,
            SqlInfo.FLIGHT_SQL_SERVER_SQL,
            SqlInfo.FLIGHT_SQL_SERVER_SUBSTRAIT,
            SqlInfo.FLIGHT_SQL_SERVER_TRANSACTION,
            SqlInfo.FLIGHT_SQL_SERVER_CANCEL,
            SqlInfo.FLIGHT_SQL_SERVER_BULK_INGESTION,
            SqlInfo.SQL_IDENTIFIER_QUOTE_CHAR,
            SqlInfo.SQL_IDENTIFIER_CASE,
            SqlInfo.SQL_QUOTED_IDENTIFIER_CASE,
            SqlInfo.SQL_SEARCH_STRING_ESCAPE,
            SqlInfo.SQL_EXTRA_NAME_CHARACTERS,
            SqlInfo.SQL_SCHEMA_TERM,
            SqlInfo.SQL_CATALOG_TERM,
            SqlInfo.SQL_PROCEDURE_TERM,
            SqlInfo.SQL_DDL_CATALOG,
            SqlInfo.SQL_DDL_SCHEMA,
            SqlInfo.SQL_DDL_TABLE,
            SqlInfo.SQL_NULL_ORDERING,
            SqlInfo.SQL_TRANSACTIONS_SUPPORTED,
            SqlInfo.SQL_SAVEPOINTS_SUPPORTED,
            SqlInfo.SQL_BATCH_UPDATES_SUPPORTED,
            SqlInfo.SQL_STORED_PROCEDURES_SUPPORTED,
            SqlInfo.SQL_SELECT_FOR_UPDATE_SUPPORTED,
            SqlInfo.SQL_ALL_TABLES_ARE_SELECTABLE,
            SqlInfo.SQL_DEFAULT_TRANSACTION_ISOLATION,
            SqlInfo.SQL_KEYWORDS,
            SqlInfo.SQL_NUMERIC_FUNCTIONS,
            SqlInfo.SQL_STRING_FUNCTIONS,
            SqlInfo.SQL_SYSTEM_FUNCTIONS,
            SqlInfo.SQL_DATETIME_FUNCTIONS)) {
      provided.add(i.getNumber());
    }
  }

  private static String[] array(List<String> values) {
    return values.toArray(new String[0]);
  }

  /** Sends the requested infos (all when none is named); ids NQL does not state are left out. */
  void send(List<Integer> requested, BufferAllocator allocator, ServerStreamListener listener) {
    List<Integer> ids = new ArrayList<>();
    if (requested.isEmpty()) {
      ids.addAll(provided);
    } else {
      for (Integer id : requested) {
        if (provided.contains(id)) {
          ids.add(id);
        }
      }
    }
    if (ids.isEmpty()) {
      // The builder would send everything for an empty list: none of the asked ids is known.
      MetadataResults.send(Schemas.GET_SQL_INFO_SCHEMA, List.of(), allocator, listener);
      return;
    }
    builder.send(ids, listener);
  }
}
