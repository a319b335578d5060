package io.nql.flight;

import io.nql.planner.meta.DatabaseProperties;
import io.nql.planner.meta.SqlSupport;
import io.nql.planner.meta.SqlSupport.Feature;
import java.lang.reflect.Array;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.sql.FlightSqlProducer.Schemas;
import org.apache.arrow.flight.sql.SqlInfoBuilder;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlInfo;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlNullOrdering;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlOuterJoinsSupportLevel;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedCaseSensitivity;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedGroupBy;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedPositionedCommands;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedResultSetType;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedSubqueries;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedTransaction;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedUnions;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportsConvert;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlTransactionIsolationLevel;
import org.apache.arrow.flight.sql.impl.FlightSql.SupportedAnsi92SqlGrammarLevel;
import org.apache.arrow.flight.sql.impl.FlightSql.SupportedSqlGrammar;
import org.apache.arrow.memory.BufferAllocator;

/**
 * GetSqlInfo: what NQL is and supports, from the same sources as the JDBC endpoint's answers
 * ({@link DatabaseProperties} for the product, keywords and functions, {@link SqlSupport} for the
 * SQL features, conversions and name limit). Every code the Flight SQL JDBC driver and ADBC read is
 * answered, so that no {@code DatabaseMetaData} call of the driver finds a value missing.
 *
 * <p>Left unanswered, as the specification's "null": the Substrait versions (no Substrait) and the
 * transaction timeout (no transactions). Also the result set concurrencies (codes 568–571), which
 * Arrow's {@link SqlInfoBuilder} cannot express and no client reads.
 */
final class ServerInfo {
  /** No limit, or none known: the value JDBC gives that meaning. */
  private static final long NO_LIMIT = 0;

  private final SqlInfoBuilder builder = new SqlInfoBuilder();
  private final Set<Integer> provided = new LinkedHashSet<>();

  /**
   * @param preparedStatementTtlMillis how long an unused prepared statement handle lives
   */
  ServerInfo(long preparedStatementTtlMillis) {
    String arrowVersion = SqlInfoBuilder.class.getPackage().getImplementationVersion();
    server(arrowVersion == null ? "18.3.0" : arrowVersion, preparedStatementTtlMillis);
    lexical();
    features();
    limits();
    transactions();
  }

  private void set(SqlInfo code, UnaryOperator<SqlInfoBuilder> value) {
    value.apply(builder);
    provided.add(code.getNumber());
  }

  private static boolean has(Feature f) {
    return f.supported();
  }

  private void server(String arrowVersion, long preparedStatementTtlMillis) {
    set(
        SqlInfo.FLIGHT_SQL_SERVER_NAME,
        b -> b.withFlightSqlServerName(DatabaseProperties.PRODUCT_NAME));
    set(
        SqlInfo.FLIGHT_SQL_SERVER_VERSION,
        b -> b.withFlightSqlServerVersion(DatabaseProperties.PRODUCT_VERSION));
    set(
        SqlInfo.FLIGHT_SQL_SERVER_ARROW_VERSION,
        b -> b.withFlightSqlServerArrowVersion(arrowVersion));
    // DDL, COPY INTO and admin statements write
    set(SqlInfo.FLIGHT_SQL_SERVER_READ_ONLY, b -> b.withFlightSqlServerReadOnly(false));
    set(SqlInfo.FLIGHT_SQL_SERVER_SQL, b -> b.withFlightSqlServerSql(true));
    set(SqlInfo.FLIGHT_SQL_SERVER_SUBSTRAIT, b -> b.withFlightSqlServerSubstrait(false));
    set(
        SqlInfo.FLIGHT_SQL_SERVER_TRANSACTION,
        b ->
            b.withFlightSqlServerTransaction(
                SqlSupportedTransaction.SQL_SUPPORTED_TRANSACTION_NONE));
    set(SqlInfo.FLIGHT_SQL_SERVER_CANCEL, b -> b.withFlightSqlServerCancel(true));
    set(SqlInfo.FLIGHT_SQL_SERVER_BULK_INGESTION, b -> b.withFlightSqlServerBulkIngestion(true));
    set(
        SqlInfo.FLIGHT_SQL_SERVER_INGEST_TRANSACTIONS_SUPPORTED,
        b -> b.withFlightSqlServerBulkIngestionTransaction(false));
    // each use of a prepared statement handle restarts its lifetime
    set(
        SqlInfo.FLIGHT_SQL_SERVER_STATEMENT_TIMEOUT,
        b -> b.withFlightSqlServerStatementTimeout(Math.toIntExact(preparedStatementTtlMillis)));
  }

  private void lexical() {
    set(SqlInfo.SQL_IDENTIFIER_QUOTE_CHAR, b -> b.withSqlIdentifierQuoteChar("\""));
    set(
        SqlInfo.SQL_IDENTIFIER_CASE,
        b -> b.withSqlIdentifierCase(SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_LOWERCASE));
    // Quoted identifiers keep their case and compare case-sensitively: no value says that.
    set(
        SqlInfo.SQL_QUOTED_IDENTIFIER_CASE,
        b ->
            b.withSqlQuotedIdentifierCase(
                SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_UNKNOWN));
    set(SqlInfo.SQL_SEARCH_STRING_ESCAPE, b -> b.withSqlSearchStringEscape("\\"));
    set(SqlInfo.SQL_EXTRA_NAME_CHARACTERS, b -> b.withSqlExtraNameCharacters("$"));
    set(SqlInfo.SQL_SCHEMA_TERM, b -> b.withSqlSchemaTerm("schema"));
    set(SqlInfo.SQL_CATALOG_TERM, b -> b.withSqlCatalogTerm("catalog"));
    set(SqlInfo.SQL_PROCEDURE_TERM, b -> b.withSqlProcedureTerm("procedure"));
    // the catalog cannot be written in a name, but when a tool writes one it comes first
    set(SqlInfo.SQL_CATALOG_AT_START, b -> b.withSqlCatalogAtStart(true));
    set(SqlInfo.SQL_KEYWORDS, b -> b.withSqlKeywords(DatabaseProperties.SQL_KEYWORDS.split(",")));
    set(
        SqlInfo.SQL_NUMERIC_FUNCTIONS,
        b -> b.withSqlNumericFunctions(array(DatabaseProperties.NUMERIC_FUNCTIONS)));
    set(
        SqlInfo.SQL_STRING_FUNCTIONS,
        b -> b.withSqlStringFunctions(array(DatabaseProperties.STRING_FUNCTIONS)));
    set(
        SqlInfo.SQL_SYSTEM_FUNCTIONS,
        b -> b.withSqlSystemFunctions(array(DatabaseProperties.SYSTEM_FUNCTIONS)));
    set(
        SqlInfo.SQL_DATETIME_FUNCTIONS,
        b -> b.withSqlDatetimeFunctions(array(DatabaseProperties.TIME_DATE_FUNCTIONS)));
  }

  private void features() {
    set(SqlInfo.SQL_DDL_CATALOG, b -> b.withSqlDdlCatalog(has(Feature.CREATE_DROP_CATALOGS)));
    set(SqlInfo.SQL_DDL_SCHEMA, b -> b.withSqlDdlSchema(has(Feature.CREATE_DROP_SCHEMAS)));
    set(SqlInfo.SQL_DDL_TABLE, b -> b.withSqlDdlTable(has(Feature.CREATE_DROP_TABLES)));
    set(SqlInfo.SQL_ALL_TABLES_ARE_SELECTABLE, b -> b.withSqlAllTablesAreSelectable(true));
    set(
        SqlInfo.SQL_NULL_ORDERING,
        b -> b.withSqlNullOrdering(SqlNullOrdering.SQL_NULLS_SORTED_HIGH));
    set(
        SqlInfo.SQL_SUPPORTS_COLUMN_ALIASING,
        b -> b.withSqlSupportsColumnAliasing(has(Feature.COLUMN_ALIASING)));
    set(
        SqlInfo.SQL_NULL_PLUS_NULL_IS_NULL,
        b -> b.withSqlNullPlusNullIsNull(has(Feature.NULL_PLUS_NON_NULL_IS_NULL)));
    set(SqlInfo.SQL_SUPPORTS_CONVERT, b -> b.withSqlSupportsConvert(conversions()));
    set(
        SqlInfo.SQL_SUPPORTS_TABLE_CORRELATION_NAMES,
        b -> b.withSqlSupportsTableCorrelationNames(has(Feature.TABLE_CORRELATION_NAMES)));
    set(
        SqlInfo.SQL_SUPPORTS_DIFFERENT_TABLE_CORRELATION_NAMES,
        b ->
            b.withSqlSupportsDifferentTableCorrelationNames(
                has(Feature.DIFFERENT_TABLE_CORRELATION_NAMES)));
    set(
        SqlInfo.SQL_SUPPORTS_EXPRESSIONS_IN_ORDER_BY,
        b -> b.withSqlSupportsExpressionsInOrderBy(has(Feature.EXPRESSIONS_IN_ORDER_BY)));
    set(
        SqlInfo.SQL_SUPPORTS_ORDER_BY_UNRELATED,
        b -> b.withSqlSupportsOrderByUnrelated(has(Feature.ORDER_BY_UNRELATED)));
    set(
        SqlInfo.SQL_SUPPORTED_GROUP_BY,
        b ->
            b.withSqlSupportedGroupBy(
                select(
                    SqlSupportedGroupBy.class,
                    Map.of(
                        SqlSupportedGroupBy.SQL_GROUP_BY_UNRELATED, Feature.GROUP_BY_UNRELATED,
                        SqlSupportedGroupBy.SQL_GROUP_BY_BEYOND_SELECT,
                            Feature.GROUP_BY_BEYOND_SELECT))));
    set(
        SqlInfo.SQL_SUPPORTS_LIKE_ESCAPE_CLAUSE,
        b -> b.withSqlSupportsLikeEscapeClause(has(Feature.LIKE_ESCAPE_CLAUSE)));
    set(
        SqlInfo.SQL_SUPPORTS_NON_NULLABLE_COLUMNS,
        b -> b.withSqlSupportsNonNullableColumns(has(Feature.NON_NULLABLE_COLUMNS)));
    // The levels every JDBC-compliant driver must claim, as the JDBC endpoint does; no more (no
    // INSERT, UPDATE, DELETE, ALTER or GRANT).
    set(
        SqlInfo.SQL_SUPPORTED_GRAMMAR,
        b -> b.withSqlSupportedGrammar(SupportedSqlGrammar.SQL_MINIMUM_GRAMMAR));
    set(
        SqlInfo.SQL_ANSI92_SUPPORTED_LEVEL,
        b -> b.withSqlAnsi92SupportedLevel(SupportedAnsi92SqlGrammarLevel.ANSI92_ENTRY_SQL));
    set(
        SqlInfo.SQL_SUPPORTS_INTEGRITY_ENHANCEMENT_FACILITY,
        b ->
            b.withSqlSupportsIntegrityEnhancementFacility(
                has(Feature.INTEGRITY_ENHANCEMENT_FACILITY)));
    // A bitmask, as Arrow's builder writes it and the JDBC driver reads it (full implies limited).
    set(
        SqlInfo.SQL_OUTER_JOINS_SUPPORT_LEVEL,
        b ->
            b.withSqlOuterJoinSupportLevel(
                select(
                    SqlOuterJoinsSupportLevel.class,
                    Map.of(
                        SqlOuterJoinsSupportLevel.SQL_LIMITED_OUTER_JOINS, Feature.OUTER_JOINS,
                        SqlOuterJoinsSupportLevel.SQL_FULL_OUTER_JOINS,
                            Feature.FULL_OUTER_JOINS))));
    // no schema or catalog in procedure calls, index or privilege definitions: there are none
    set(SqlInfo.SQL_SCHEMAS_SUPPORTED_ACTIONS, b -> b.withSqlSchemasSupportedActions());
    set(SqlInfo.SQL_CATALOGS_SUPPORTED_ACTIONS, b -> b.withSqlCatalogsSupportedActions());
    set(
        SqlInfo.SQL_SUPPORTED_POSITIONED_COMMANDS,
        b ->
            b.withSqlSupportedPositionedCommands(
                select(
                    SqlSupportedPositionedCommands.class,
                    Map.of(
                        SqlSupportedPositionedCommands.SQL_POSITIONED_DELETE,
                        Feature.POSITIONED_UPDATE_DELETE,
                        SqlSupportedPositionedCommands.SQL_POSITIONED_UPDATE,
                        Feature.POSITIONED_UPDATE_DELETE))));
    set(
        SqlInfo.SQL_SELECT_FOR_UPDATE_SUPPORTED,
        b -> b.withSqlSelectForUpdateSupported(has(Feature.SELECT_FOR_UPDATE)));
    set(
        SqlInfo.SQL_STORED_PROCEDURES_SUPPORTED,
        b -> b.withSqlStoredProceduresSupported(has(Feature.STORED_PROCEDURES)));
    set(
        SqlInfo.SQL_STORED_FUNCTIONS_USING_CALL_SYNTAX_SUPPORTED,
        b -> b.withSqlStoredFunctionsUsingCallSyntaxSupported(has(Feature.STORED_PROCEDURES)));
    set(SqlInfo.SQL_NAMED_PARAMETERS_SUPPORTED, b -> b.withSqlNamedParametersSupported(false));
    set(
        SqlInfo.SQL_SUPPORTED_SUBQUERIES,
        b ->
            b.withSqlSubQueriesSupported(
                select(
                    SqlSupportedSubqueries.class,
                    Map.of(
                        SqlSupportedSubqueries.SQL_SUBQUERIES_IN_COMPARISONS,
                        Feature.SUBQUERIES_IN_COMPARISONS,
                        SqlSupportedSubqueries.SQL_SUBQUERIES_IN_EXISTS,
                        Feature.SUBQUERIES_IN_EXISTS,
                        SqlSupportedSubqueries.SQL_SUBQUERIES_IN_INS,
                        Feature.SUBQUERIES_IN_INS,
                        SqlSupportedSubqueries.SQL_SUBQUERIES_IN_QUANTIFIEDS,
                        Feature.SUBQUERIES_IN_QUANTIFIEDS))));
    set(
        SqlInfo.SQL_CORRELATED_SUBQUERIES_SUPPORTED,
        b -> b.withSqlCorrelatedSubqueriesSupported(has(Feature.CORRELATED_SUBQUERIES)));
    set(
        SqlInfo.SQL_SUPPORTED_UNIONS,
        b ->
            b.withSqlSupportedUnions(
                select(
                    SqlSupportedUnions.class,
                    Map.of(
                        SqlSupportedUnions.SQL_UNION, Feature.UNION,
                        SqlSupportedUnions.SQL_UNION_ALL, Feature.UNION_ALL))));
    set(
        SqlInfo.SQL_SUPPORTED_RESULT_SET_TYPES,
        b ->
            b.withSqlSupportedResultSetTypes(
                SqlSupportedResultSetType.SQL_RESULT_SET_TYPE_FORWARD_ONLY));
    // a prepared update runs once per bound parameter row and answers the summed count
    set(SqlInfo.SQL_BATCH_UPDATES_SUPPORTED, b -> b.withSqlBatchUpdatesSupported(true));
    // there are no LOB locators; no value is ever changed in place (Iceberg writes new files)
    set(SqlInfo.SQL_LOCATORS_UPDATE_COPY, b -> b.withSqlLocatorsUpdateCopy(true));
  }

  private void limits() {
    long name = SqlSupport.MAX_NAME_LENGTH;
    set(SqlInfo.SQL_MAX_BINARY_LITERAL_LENGTH, b -> b.withSqlMaxBinaryLiteralLength(NO_LIMIT));
    set(SqlInfo.SQL_MAX_CHAR_LITERAL_LENGTH, b -> b.withSqlMaxCharLiteralLength(NO_LIMIT));
    set(SqlInfo.SQL_MAX_COLUMN_NAME_LENGTH, b -> b.withSqlMaxColumnNameLength(name));
    set(SqlInfo.SQL_MAX_COLUMNS_IN_GROUP_BY, b -> b.withSqlMaxColumnsInGroupBy(NO_LIMIT));
    set(SqlInfo.SQL_MAX_COLUMNS_IN_INDEX, b -> b.withSqlMaxColumnsInIndex(NO_LIMIT));
    set(SqlInfo.SQL_MAX_COLUMNS_IN_ORDER_BY, b -> b.withSqlMaxColumnsInOrderBy(NO_LIMIT));
    set(SqlInfo.SQL_MAX_COLUMNS_IN_SELECT, b -> b.withSqlMaxColumnsInSelect(NO_LIMIT));
    set(SqlInfo.SQL_MAX_COLUMNS_IN_TABLE, b -> b.withSqlMaxColumnsInTable(NO_LIMIT));
    set(SqlInfo.SQL_MAX_CONNECTIONS, b -> b.withSqlMaxConnections(NO_LIMIT));
    set(SqlInfo.SQL_MAX_CURSOR_NAME_LENGTH, b -> b.withSqlMaxCursorNameLength(NO_LIMIT));
    set(SqlInfo.SQL_MAX_INDEX_LENGTH, b -> b.withSqlMaxIndexLength(NO_LIMIT));
    set(SqlInfo.SQL_DB_SCHEMA_NAME_LENGTH, b -> b.withSqlDbSchemaNameLength(name));
    set(SqlInfo.SQL_MAX_PROCEDURE_NAME_LENGTH, b -> b.withSqlMaxProcedureNameLength(NO_LIMIT));
    set(SqlInfo.SQL_MAX_CATALOG_NAME_LENGTH, b -> b.withSqlMaxCatalogNameLength(NO_LIMIT));
    set(SqlInfo.SQL_MAX_ROW_SIZE, b -> b.withSqlMaxRowSize(NO_LIMIT));
    set(SqlInfo.SQL_MAX_ROW_SIZE_INCLUDES_BLOBS, b -> b.withSqlMaxRowSizeIncludesBlobs(false));
    set(SqlInfo.SQL_MAX_STATEMENT_LENGTH, b -> b.withSqlMaxStatementLength(NO_LIMIT));
    set(SqlInfo.SQL_MAX_STATEMENTS, b -> b.withSqlMaxStatements(NO_LIMIT));
    set(SqlInfo.SQL_MAX_TABLE_NAME_LENGTH, b -> b.withSqlMaxTableNameLength(name));
    set(SqlInfo.SQL_MAX_TABLES_IN_SELECT, b -> b.withSqlMaxTablesInSelect(NO_LIMIT));
    set(SqlInfo.SQL_MAX_USERNAME_LENGTH, b -> b.withSqlMaxUsernameLength(name));
  }

  private void transactions() {
    boolean transactions = has(Feature.TRANSACTIONS);
    set(SqlInfo.SQL_TRANSACTIONS_SUPPORTED, b -> b.withSqlTransactionsSupported(transactions));
    set(SqlInfo.SQL_SAVEPOINTS_SUPPORTED, b -> b.withSqlSavepointsSupported(false));
    set(
        SqlInfo.SQL_DEFAULT_TRANSACTION_ISOLATION,
        b ->
            b.withSqlDefaultTransactionIsolation(
                SqlTransactionIsolationLevel.SQL_TRANSACTION_NONE_VALUE));
    set(
        SqlInfo.SQL_SUPPORTED_TRANSACTIONS_ISOLATION_LEVELS,
        b ->
            b.withSqlSupportedTransactionsIsolationLevels(
                SqlTransactionIsolationLevel.SQL_TRANSACTION_NONE));
    set(
        SqlInfo.SQL_DATA_DEFINITION_CAUSES_TRANSACTION_COMMIT,
        b -> b.withSqlDataDefinitionCausesTransactionCommit(false));
    set(
        SqlInfo.SQL_DATA_DEFINITIONS_IN_TRANSACTIONS_IGNORED,
        b -> b.withSqlDataDefinitionsInTransactionsIgnored(false));
  }

  /** The values whose feature NQL supports. */
  @SuppressWarnings("unchecked")
  private static <E extends Enum<E>> E[] select(Class<E> type, Map<E, Feature> features) {
    List<E> out = new ArrayList<>();
    for (E value : type.getEnumConstants()) {
      Feature f = features.get(value);
      if (f != null && f.supported()) {
        out.add(value);
      }
    }
    return out.toArray((E[]) Array.newInstance(type, 0));
  }

  /** {@link SqlSupport#conversions()} in Flight SQL's terms. */
  static Map<Integer, List<Integer>> conversions() {
    Map<Integer, List<Integer>> out = new TreeMap<>();
    for (Map.Entry<Integer, Set<Integer>> e : SqlSupport.conversions().entrySet()) {
      Integer from = convertType(e.getKey());
      if (from == null) {
        continue;
      }
      Set<Integer> to = new TreeSet<>();
      for (int t : e.getValue()) {
        Integer target = convertType(t);
        if (target != null) {
          to.add(target);
        }
      }
      out.put(from, List.copyOf(to));
    }
    return out;
  }

  /**
   * The {@link SqlSupportsConvert} value of a {@link Types} code, or null when Flight SQL has none:
   * BOOLEAN is its BIT, and DOUBLE its FLOAT (JDBC's FLOAT is double precision).
   */
  static Integer convertType(int jdbcType) {
    SqlSupportsConvert c =
        switch (jdbcType) {
          case Types.BIGINT -> SqlSupportsConvert.SQL_CONVERT_BIGINT;
          case Types.BINARY -> SqlSupportsConvert.SQL_CONVERT_BINARY;
          case Types.BIT, Types.BOOLEAN -> SqlSupportsConvert.SQL_CONVERT_BIT;
          case Types.CHAR -> SqlSupportsConvert.SQL_CONVERT_CHAR;
          case Types.DATE -> SqlSupportsConvert.SQL_CONVERT_DATE;
          case Types.DECIMAL -> SqlSupportsConvert.SQL_CONVERT_DECIMAL;
          case Types.FLOAT, Types.DOUBLE -> SqlSupportsConvert.SQL_CONVERT_FLOAT;
          case Types.INTEGER -> SqlSupportsConvert.SQL_CONVERT_INTEGER;
          case Types.LONGVARBINARY -> SqlSupportsConvert.SQL_CONVERT_LONGVARBINARY;
          case Types.LONGVARCHAR -> SqlSupportsConvert.SQL_CONVERT_LONGVARCHAR;
          case Types.NUMERIC -> SqlSupportsConvert.SQL_CONVERT_NUMERIC;
          case Types.REAL -> SqlSupportsConvert.SQL_CONVERT_REAL;
          case Types.SMALLINT -> SqlSupportsConvert.SQL_CONVERT_SMALLINT;
          case Types.TIME -> SqlSupportsConvert.SQL_CONVERT_TIME;
          case Types.TIMESTAMP -> SqlSupportsConvert.SQL_CONVERT_TIMESTAMP;
          case Types.TINYINT -> SqlSupportsConvert.SQL_CONVERT_TINYINT;
          case Types.VARBINARY -> SqlSupportsConvert.SQL_CONVERT_VARBINARY;
          case Types.VARCHAR -> SqlSupportsConvert.SQL_CONVERT_VARCHAR;
          default -> null;
        };
    return c == null ? null : c.getNumber();
  }

  private static String[] array(List<String> values) {
    return values.toArray(new String[0]);
  }

  /** Sends the requested infos (all when none is named); codes NQL does not answer are left out. */
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
