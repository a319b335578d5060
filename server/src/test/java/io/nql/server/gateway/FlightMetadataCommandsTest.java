package io.nql.server.gateway;

import static io.nql.server.gateway.FlightClients.login;
import static io.nql.server.gateway.FlightClients.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.nql.server.gateway.FlightClients.Login;
import io.nql.server.gateway.FlightClients.Read;
import java.nio.channels.Channels;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.FlightSqlProducer.Schemas;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlInfo;
import org.apache.arrow.flight.sql.util.TableRef;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.DenseUnionVector;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Flight SQL metadata commands through Arrow's {@link FlightSqlClient}: each answers with its
 * full Flight SQL schema in GetFlightInfo and in the stream, with rows or without; GetSqlInfo
 * answers every code the official clients read, each with the type the specification gives it;
 * GetXdbcTypeInfo answers the rows {@code jdbc:nql}'s {@code getTypeInfo} answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlightMetadataCommandsTest {
  /** What globex may read of acme's rule: never amount, ordered_on, ordered_at or paid. */
  private static final String[] RULE_COLUMNS = {
    "order_id", "city", "_price_cpm_usd", "_source_company_id", "_access_rule_id"
  };

  /**
   * The codes the Flight SQL JDBC driver 18.3.0 reads ({@code ArrowDatabaseMetadata}: one per
   * {@code DatabaseMetaData} call it answers from GetSqlInfo). A code missing made the call throw
   * NullPointerException inside the driver.
   */
  static final Set<SqlInfo> READ_BY_JDBC_DRIVER =
      EnumSet.of(
          SqlInfo.FLIGHT_SQL_SERVER_NAME,
          SqlInfo.FLIGHT_SQL_SERVER_VERSION,
          SqlInfo.FLIGHT_SQL_SERVER_READ_ONLY,
          SqlInfo.SQL_ANSI92_SUPPORTED_LEVEL,
          SqlInfo.SQL_BATCH_UPDATES_SUPPORTED,
          SqlInfo.SQL_CATALOGS_SUPPORTED_ACTIONS,
          SqlInfo.SQL_CATALOG_AT_START,
          SqlInfo.SQL_CATALOG_TERM,
          SqlInfo.SQL_CORRELATED_SUBQUERIES_SUPPORTED,
          SqlInfo.SQL_DATA_DEFINITIONS_IN_TRANSACTIONS_IGNORED,
          SqlInfo.SQL_DATA_DEFINITION_CAUSES_TRANSACTION_COMMIT,
          SqlInfo.SQL_DATETIME_FUNCTIONS,
          SqlInfo.SQL_DB_SCHEMA_NAME_LENGTH,
          SqlInfo.SQL_DEFAULT_TRANSACTION_ISOLATION,
          SqlInfo.SQL_EXTRA_NAME_CHARACTERS,
          SqlInfo.SQL_IDENTIFIER_QUOTE_CHAR,
          SqlInfo.SQL_KEYWORDS,
          SqlInfo.SQL_LOCATORS_UPDATE_COPY,
          SqlInfo.SQL_MAX_BINARY_LITERAL_LENGTH,
          SqlInfo.SQL_MAX_CATALOG_NAME_LENGTH,
          SqlInfo.SQL_MAX_CHAR_LITERAL_LENGTH,
          SqlInfo.SQL_MAX_COLUMNS_IN_GROUP_BY,
          SqlInfo.SQL_MAX_COLUMNS_IN_INDEX,
          SqlInfo.SQL_MAX_COLUMNS_IN_ORDER_BY,
          SqlInfo.SQL_MAX_COLUMNS_IN_SELECT,
          SqlInfo.SQL_MAX_COLUMNS_IN_TABLE,
          SqlInfo.SQL_MAX_COLUMN_NAME_LENGTH,
          SqlInfo.SQL_MAX_CONNECTIONS,
          SqlInfo.SQL_MAX_CURSOR_NAME_LENGTH,
          SqlInfo.SQL_MAX_INDEX_LENGTH,
          SqlInfo.SQL_MAX_PROCEDURE_NAME_LENGTH,
          SqlInfo.SQL_MAX_ROW_SIZE,
          SqlInfo.SQL_MAX_ROW_SIZE_INCLUDES_BLOBS,
          SqlInfo.SQL_MAX_STATEMENTS,
          SqlInfo.SQL_MAX_STATEMENT_LENGTH,
          SqlInfo.SQL_MAX_TABLES_IN_SELECT,
          SqlInfo.SQL_MAX_TABLE_NAME_LENGTH,
          SqlInfo.SQL_MAX_USERNAME_LENGTH,
          SqlInfo.SQL_NAMED_PARAMETERS_SUPPORTED,
          SqlInfo.SQL_NULL_PLUS_NULL_IS_NULL,
          SqlInfo.SQL_NUMERIC_FUNCTIONS,
          SqlInfo.SQL_OUTER_JOINS_SUPPORT_LEVEL,
          SqlInfo.SQL_PROCEDURE_TERM,
          SqlInfo.SQL_SAVEPOINTS_SUPPORTED,
          SqlInfo.SQL_SCHEMAS_SUPPORTED_ACTIONS,
          SqlInfo.SQL_SCHEMA_TERM,
          SqlInfo.SQL_SEARCH_STRING_ESCAPE,
          SqlInfo.SQL_SELECT_FOR_UPDATE_SUPPORTED,
          SqlInfo.SQL_STORED_FUNCTIONS_USING_CALL_SYNTAX_SUPPORTED,
          SqlInfo.SQL_STORED_PROCEDURES_SUPPORTED,
          SqlInfo.SQL_STRING_FUNCTIONS,
          SqlInfo.SQL_SUPPORTED_GRAMMAR,
          SqlInfo.SQL_SUPPORTED_GROUP_BY,
          SqlInfo.SQL_SUPPORTED_POSITIONED_COMMANDS,
          SqlInfo.SQL_SUPPORTED_RESULT_SET_TYPES,
          SqlInfo.SQL_SUPPORTED_SUBQUERIES,
          SqlInfo.SQL_SUPPORTED_TRANSACTIONS_ISOLATION_LEVELS,
          SqlInfo.SQL_SUPPORTED_UNIONS,
          SqlInfo.SQL_SUPPORTS_COLUMN_ALIASING,
          SqlInfo.SQL_SUPPORTS_CONVERT,
          SqlInfo.SQL_SUPPORTS_DIFFERENT_TABLE_CORRELATION_NAMES,
          SqlInfo.SQL_SUPPORTS_EXPRESSIONS_IN_ORDER_BY,
          SqlInfo.SQL_SUPPORTS_INTEGRITY_ENHANCEMENT_FACILITY,
          SqlInfo.SQL_SUPPORTS_LIKE_ESCAPE_CLAUSE,
          SqlInfo.SQL_SUPPORTS_NON_NULLABLE_COLUMNS,
          SqlInfo.SQL_SUPPORTS_ORDER_BY_UNRELATED,
          SqlInfo.SQL_SUPPORTS_TABLE_CORRELATION_NAMES,
          SqlInfo.SQL_SYSTEM_FUNCTIONS,
          SqlInfo.SQL_TRANSACTIONS_SUPPORTED);

  /**
   * The codes ADBC's Flight SQL driver reads (go/adbc/driver/flightsql): the vendor infos of {@code
   * GetInfo}, and on connect whether the server has transactions. It leaves out what is not
   * answered, and reads only strings and booleans in GetInfo.
   */
  static final Set<SqlInfo> READ_BY_ADBC =
      EnumSet.of(
          SqlInfo.FLIGHT_SQL_SERVER_NAME,
          SqlInfo.FLIGHT_SQL_SERVER_VERSION,
          SqlInfo.FLIGHT_SQL_SERVER_ARROW_VERSION,
          SqlInfo.FLIGHT_SQL_SERVER_SQL,
          SqlInfo.FLIGHT_SQL_SERVER_SUBSTRAIT,
          SqlInfo.FLIGHT_SQL_SERVER_TRANSACTION);

  /**
   * Codes left unanswered on purpose: the specification's "null" (no Substrait, no transactions),
   * and the result set concurrencies, which Arrow's builder cannot express and no client reads.
   */
  static final Set<SqlInfo> UNANSWERED =
      EnumSet.of(
          SqlInfo.FLIGHT_SQL_SERVER_SUBSTRAIT_MIN_VERSION,
          SqlInfo.FLIGHT_SQL_SERVER_SUBSTRAIT_MAX_VERSION,
          SqlInfo.FLIGHT_SQL_SERVER_TRANSACTION_TIMEOUT,
          SqlInfo.SQL_SUPPORTED_CONCURRENCIES_FOR_RESULT_SET_UNSPECIFIED,
          SqlInfo.SQL_SUPPORTED_CONCURRENCIES_FOR_RESULT_SET_FORWARD_ONLY,
          SqlInfo.SQL_SUPPORTED_CONCURRENCIES_FOR_RESULT_SET_SCROLL_SENSITIVE,
          SqlInfo.SQL_SUPPORTED_CONCURRENCIES_FOR_RESULT_SET_SCROLL_INSENSITIVE);

  // the type ids of the value union in GetSqlInfo's schema
  private static final int STRING = 0;
  private static final int BOOL = 1;
  private static final int BIGINT = 2;
  private static final int INT32 = 3;
  private static final int STRING_LIST = 4;
  private static final int MAP = 5;

  Gateway gateway;
  BufferAllocator allocator;

  @BeforeAll
  void start() {
    gateway = Gateway.start(TestWarehouse.config().build());
    allocator = new RootAllocator();
  }

  @AfterAll
  void stop() {
    try {
      assertThat(gateway.flightAllocatedBytes()).as("gateway Flight allocator").isZero();
    } finally {
      gateway.close();
      allocator.close();
    }
  }

  private Login globex() {
    return login(allocator, gateway.flightPort(), "globex_user", TestWarehouse.GLOBEX_PW);
  }

  @Test
  void metadataShowsABuyerOnlyWhatItMayQuery() throws Exception {
    try (Login globex = globex()) {
      FlightSqlClient sql = globex.sql();
      assertThat(read(sql, sql.getCatalogs(globex.auth()), globex.auth()).rows())
          .containsExactly("nql");
      Read schemas = read(sql, sql.getSchemas(null, null, globex.auth()), globex.auth());
      assertThat(schemas.rows()).contains("nql|company_data", "nql|acme");
      Read tables =
          read(sql, sql.getTables(null, null, null, null, true, globex.auth()), globex.auth());
      List<String> names = new ArrayList<>();
      for (String row : tables.rows()) {
        String[] c = row.split("\\|");
        names.add(c[1] + "." + c[2] + ":" + c[3]);
      }
      // acme's own datasets never appear for globex; its shared rule does, as a view
      assertThat(names).contains("acme.orders_public:VIEW", "company_data.purchases:TABLE");
      assertThat(names)
          .noneMatch(n -> n.startsWith("acme.orders:") || n.startsWith("acme.numbers:"));
      Read rule =
          read(
              sql,
              sql.getTables("nql", "acme", "orders\\_public", List.of("VIEW"), true, globex.auth()),
              globex.auth());
      assertThat(rule.rows()).hasSize(1);
      // the rule's table schema has only the columns the rule shares (and NQL's pseudo-columns)
      assertThat(tableSchema(sql, "acme", "orders_public", globex).getFields())
          .extracting(Field::getName)
          .containsExactly(RULE_COLUMNS);
      assertThat(
              read(
                      sql,
                      sql.getTables(null, "acme", "orders", null, false, globex.auth()),
                      globex.auth())
                  .rows())
          .isEmpty();
      assertThat(read(sql, sql.getTableTypes(globex.auth()), globex.auth()).rows())
          .containsExactly("SYSTEM TABLE", "TABLE", "VIEW");
      assertThat(read(sql, sql.getXdbcTypeInfo(globex.auth()), globex.auth()).rows())
          .anyMatch(r -> r.startsWith("DECIMAL|3|38|"));
      assertThat(read(sql, sql.getXdbcTypeInfo(Types.DECIMAL, globex.auth()), globex.auth()).rows())
          .hasSize(1);
    }
  }

  private Schema tableSchema(FlightSqlClient sql, String schema, String table, Login who)
      throws Exception {
    FlightInfo info = sql.getTables(null, schema, table, null, true, who.auth());
    try (FlightStream s = sql.getStream(info.getEndpoints().get(0).getTicket(), who.auth())) {
      assertThat(s.next()).isTrue();
      byte[] bytes = ((VarBinaryVector) s.getRoot().getVector("table_schema")).getObject(0);
      return MessageSerializer.deserializeSchema(
          new ReadChannel(Channels.newChannel(new java.io.ByteArrayInputStream(bytes))));
    }
  }

  /** A metadata command, the schema Flight SQL gives it, and whether this call has rows. */
  private record Command(String name, Supplier<FlightInfo> info, Schema schema, boolean rows) {}

  @Test
  void everyCommandAnswersItsFullSchemaWithRowsOrWithout() throws Exception {
    try (Login globex = globex()) {
      FlightSqlClient sql = globex.sql();
      var auth = globex.auth();
      TableRef purchases = TableRef.of("nql", "company_data", "purchases");
      TableRef nothing = TableRef.of(null, "nowhere", "nothing");
      List<Command> commands =
          List.of(
              new Command(
                  "GetCatalogs", () -> sql.getCatalogs(auth), Schemas.GET_CATALOGS_SCHEMA, true),
              new Command(
                  "GetDbSchemas",
                  () -> sql.getSchemas(null, null, auth),
                  Schemas.GET_SCHEMAS_SCHEMA,
                  true),
              new Command(
                  "GetDbSchemas (no match)",
                  () -> sql.getSchemas(null, "nowhere", auth),
                  Schemas.GET_SCHEMAS_SCHEMA,
                  false),
              new Command(
                  "GetTables",
                  () -> sql.getTables(null, null, null, null, false, auth),
                  Schemas.GET_TABLES_SCHEMA_NO_SCHEMA,
                  true),
              new Command(
                  "GetTables (include_schema)",
                  () -> sql.getTables(null, null, null, null, true, auth),
                  Schemas.GET_TABLES_SCHEMA,
                  true),
              new Command(
                  "GetTables (no match)",
                  () -> sql.getTables(null, "nowhere", null, null, false, auth),
                  Schemas.GET_TABLES_SCHEMA_NO_SCHEMA,
                  false),
              new Command(
                  "GetTables (include_schema, no match)",
                  () -> sql.getTables(null, null, "nothing", List.of("VIEW"), true, auth),
                  Schemas.GET_TABLES_SCHEMA,
                  false),
              new Command(
                  "GetTableTypes",
                  () -> sql.getTableTypes(auth),
                  Schemas.GET_TABLE_TYPES_SCHEMA,
                  true),
              new Command(
                  "GetPrimaryKeys",
                  () -> sql.getPrimaryKeys(purchases, auth),
                  Schemas.GET_PRIMARY_KEYS_SCHEMA,
                  false),
              new Command(
                  "GetImportedKeys",
                  () -> sql.getImportedKeys(purchases, auth),
                  Schemas.GET_IMPORTED_KEYS_SCHEMA,
                  false),
              new Command(
                  "GetExportedKeys",
                  () -> sql.getExportedKeys(nothing, auth),
                  Schemas.GET_EXPORTED_KEYS_SCHEMA,
                  false),
              new Command(
                  "GetCrossReference",
                  () -> sql.getCrossReference(purchases, purchases, auth),
                  Schemas.GET_CROSS_REFERENCE_SCHEMA,
                  false),
              new Command(
                  "GetXdbcTypeInfo",
                  () -> sql.getXdbcTypeInfo(auth),
                  Schemas.GET_TYPE_INFO_SCHEMA,
                  true),
              new Command(
                  "GetXdbcTypeInfo (a type NQL does not have)",
                  () -> sql.getXdbcTypeInfo(Types.ARRAY, auth),
                  Schemas.GET_TYPE_INFO_SCHEMA,
                  false),
              new Command(
                  "GetSqlInfo",
                  () -> sql.getSqlInfo(new int[0], auth),
                  Schemas.GET_SQL_INFO_SCHEMA,
                  true),
              new Command(
                  "GetSqlInfo (an unknown code)",
                  () -> sql.getSqlInfo(new int[] {99_999}, auth),
                  Schemas.GET_SQL_INFO_SCHEMA,
                  false));
      for (Command c : commands) {
        FlightInfo info = c.info().get();
        assertThat(info.getSchemaOptional()).as(c.name() + ": FlightInfo").contains(c.schema());
        Read r = read(sql, info, auth);
        assertThat(r.schema()).as(c.name() + ": stream").isEqualTo(c.schema());
        if (c.rows()) {
          assertThat(r.rows()).as(c.name()).isNotEmpty();
        } else {
          assertThat(r.rows()).as(c.name()).isEmpty();
        }
      }
    }
  }

  /** Code → (union type id, value) of every answered code. */
  private Map<SqlInfo, Object[]> sqlInfo(Login who, SqlInfo... codes) throws Exception {
    FlightSqlClient sql = who.sql();
    FlightInfo info = sql.getSqlInfo(codes, who.auth());
    Map<SqlInfo, Object[]> out = new TreeMap<>();
    try (FlightStream s = sql.getStream(info.getEndpoints().get(0).getTicket(), who.auth())) {
      while (s.next()) {
        VectorSchemaRoot root = s.getRoot();
        UInt4Vector names = (UInt4Vector) root.getVector("info_name");
        DenseUnionVector values = (DenseUnionVector) root.getVector("value");
        for (int i = 0; i < root.getRowCount(); i++) {
          SqlInfo code = SqlInfo.forNumber((int) names.getValueAsLong(i));
          Object value = values.getObject(i);
          out.put(code, new Object[] {(int) values.getTypeId(i), String.valueOf(value)});
        }
      }
    }
    return out;
  }

  /** The value type the specification gives a code. */
  private static int specifiedType(SqlInfo code) {
    return switch (code) {
      case FLIGHT_SQL_SERVER_NAME,
          FLIGHT_SQL_SERVER_VERSION,
          FLIGHT_SQL_SERVER_ARROW_VERSION,
          SQL_IDENTIFIER_QUOTE_CHAR,
          SQL_SEARCH_STRING_ESCAPE,
          SQL_EXTRA_NAME_CHARACTERS,
          SQL_SCHEMA_TERM,
          SQL_PROCEDURE_TERM,
          SQL_CATALOG_TERM ->
          STRING;
      case FLIGHT_SQL_SERVER_TRANSACTION,
          FLIGHT_SQL_SERVER_STATEMENT_TIMEOUT,
          SQL_SUPPORTED_GROUP_BY,
          SQL_SUPPORTED_GRAMMAR,
          SQL_ANSI92_SUPPORTED_LEVEL,
          SQL_OUTER_JOINS_SUPPORT_LEVEL,
          SQL_SCHEMAS_SUPPORTED_ACTIONS,
          SQL_CATALOGS_SUPPORTED_ACTIONS,
          SQL_SUPPORTED_POSITIONED_COMMANDS,
          SQL_SUPPORTED_SUBQUERIES,
          SQL_SUPPORTED_UNIONS,
          SQL_SUPPORTED_TRANSACTIONS_ISOLATION_LEVELS,
          SQL_SUPPORTED_RESULT_SET_TYPES ->
          INT32;
      case SQL_KEYWORDS,
          SQL_NUMERIC_FUNCTIONS,
          SQL_STRING_FUNCTIONS,
          SQL_SYSTEM_FUNCTIONS,
          SQL_DATETIME_FUNCTIONS ->
          STRING_LIST;
      case SQL_SUPPORTS_CONVERT -> MAP;
      // The specification says int32 for these ordinals; Arrow's SqlInfoBuilder writes int64, and
      // the JDBC driver reads the default isolation as a Long.
      case SQL_IDENTIFIER_CASE,
          SQL_QUOTED_IDENTIFIER_CASE,
          SQL_NULL_ORDERING,
          SQL_DEFAULT_TRANSACTION_ISOLATION ->
          BIGINT;
      case SQL_MAX_ROW_SIZE_INCLUDES_BLOBS -> BOOL;
      default ->
          code.name().startsWith("SQL_MAX_") || code == SqlInfo.SQL_DB_SCHEMA_NAME_LENGTH
              ? BIGINT
              : BOOL;
    };
  }

  @Test
  void sqlInfoAnswersEveryCodeTheOfficialClientsReadWithItsSpecifiedType() throws Exception {
    try (Login globex = globex()) {
      Map<SqlInfo, Object[]> all = sqlInfo(globex);
      Set<SqlInfo> expected = EnumSet.allOf(SqlInfo.class);
      expected.remove(SqlInfo.UNRECOGNIZED);
      expected.removeAll(UNANSWERED);
      assertThat(all.keySet()).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(all.keySet()).containsAll(READ_BY_JDBC_DRIVER).containsAll(READ_BY_ADBC);
      for (Map.Entry<SqlInfo, Object[]> e : all.entrySet()) {
        assertThat(e.getValue()[0]).as(e.getKey().name()).isEqualTo(specifiedType(e.getKey()));
      }

      // what NQL is: checked by statements in SqlSupportTest
      Map<SqlInfo, String> values = new TreeMap<>();
      all.forEach((k, v) -> values.put(k, (String) v[1]));
      assertThat(values)
          .containsEntry(SqlInfo.FLIGHT_SQL_SERVER_NAME, "NQL Gateway")
          .containsEntry(SqlInfo.FLIGHT_SQL_SERVER_READ_ONLY, "false")
          .containsEntry(SqlInfo.FLIGHT_SQL_SERVER_TRANSACTION, "0")
          .containsEntry(SqlInfo.FLIGHT_SQL_SERVER_CANCEL, "true")
          .containsEntry(SqlInfo.FLIGHT_SQL_SERVER_STATEMENT_TIMEOUT, "3600000")
          .containsEntry(SqlInfo.SQL_TRANSACTIONS_SUPPORTED, "false")
          // bit 0: SQL_TRANSACTION_NONE only
          .containsEntry(SqlInfo.SQL_SUPPORTED_TRANSACTIONS_ISOLATION_LEVELS, "1")
          .containsEntry(SqlInfo.SQL_DEFAULT_TRANSACTION_ISOLATION, "0")
          // comparisons, EXISTS, IN and quantified comparisons
          .containsEntry(SqlInfo.SQL_SUPPORTED_SUBQUERIES, "15")
          .containsEntry(SqlInfo.SQL_CORRELATED_SUBQUERIES_SUPPORTED, "true")
          .containsEntry(SqlInfo.SQL_SUPPORTED_UNIONS, "3")
          // limited and full outer joins
          .containsEntry(SqlInfo.SQL_OUTER_JOINS_SUPPORT_LEVEL, "6")
          .containsEntry(SqlInfo.SQL_SUPPORTED_GROUP_BY, "3")
          .containsEntry(SqlInfo.SQL_CATALOG_AT_START, "true")
          .containsEntry(SqlInfo.SQL_SCHEMAS_SUPPORTED_ACTIONS, "0")
          .containsEntry(SqlInfo.SQL_CATALOGS_SUPPORTED_ACTIONS, "0")
          .containsEntry(SqlInfo.SQL_SUPPORTS_DIFFERENT_TABLE_CORRELATION_NAMES, "false")
          .containsEntry(SqlInfo.SQL_MAX_CONNECTIONS, "0")
          .containsEntry(SqlInfo.SQL_MAX_COLUMN_NAME_LENGTH, "128")
          .containsEntry(SqlInfo.SQL_MAX_TABLE_NAME_LENGTH, "128")
          .containsEntry(SqlInfo.SQL_DB_SCHEMA_NAME_LENGTH, "128")
          .containsEntry(SqlInfo.SQL_SUPPORTED_RESULT_SET_TYPES, "2")
          .containsEntry(SqlInfo.SQL_DDL_TABLE, "true")
          .containsEntry(SqlInfo.SQL_DDL_SCHEMA, "false");
      assertThat(values.get(SqlInfo.SQL_SUPPORTS_CONVERT)).isNotIn("[]", "{}", "null");

      // asked codes only, in any order; unknown and unanswered ones are left out
      assertThat(
              sqlInfo(
                      globex,
                      SqlInfo.SQL_IDENTIFIER_QUOTE_CHAR,
                      SqlInfo.FLIGHT_SQL_SERVER_SUBSTRAIT_MIN_VERSION,
                      SqlInfo.FLIGHT_SQL_SERVER_NAME)
                  .keySet())
          .containsExactlyInAnyOrder(
              SqlInfo.SQL_IDENTIFIER_QUOTE_CHAR, SqlInfo.FLIGHT_SQL_SERVER_NAME);
    }
  }

  @Test
  void xdbcTypeInfoHasTheRowsOfJdbcGetTypeInfo() throws Exception {
    List<String> jdbc = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:nql://127.0.0.1:"
                    + gateway.jdbcPort()
                    + "?user=globex_user&password="
                    + TestWarehouse.GLOBEX_PW);
        ResultSet rs = c.getMetaData().getTypeInfo()) {
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (String column :
            List.of(
                "TYPE_NAME",
                "DATA_TYPE",
                "PRECISION",
                "LITERAL_PREFIX",
                "LITERAL_SUFFIX",
                "CREATE_PARAMS",
                "NULLABLE",
                "CASE_SENSITIVE",
                "SEARCHABLE",
                "UNSIGNED_ATTRIBUTE",
                "FIXED_PREC_SCALE",
                "AUTO_INCREMENT",
                "LOCAL_TYPE_NAME",
                "MINIMUM_SCALE",
                "MAXIMUM_SCALE",
                "NUM_PREC_RADIX")) {
          Object v = rs.getObject(column);
          row.add(v instanceof Number n ? n.longValue() : v);
        }
        jdbc.add(row.toString());
      }
    }
    List<String> flight = new ArrayList<>();
    try (Login globex = globex()) {
      FlightSqlClient sql = globex.sql();
      FlightInfo info = sql.getXdbcTypeInfo(globex.auth());
      try (FlightStream s = sql.getStream(info.getEndpoints().get(0).getTicket(), globex.auth())) {
        while (s.next()) {
          VectorSchemaRoot root = s.getRoot();
          for (int i = 0; i < root.getRowCount(); i++) {
            List<Object> row = new ArrayList<>();
            for (String column :
                List.of(
                    "type_name",
                    "data_type",
                    "column_size",
                    "literal_prefix",
                    "literal_suffix",
                    "create_params",
                    "nullable",
                    "case_sensitive",
                    "searchable",
                    "unsigned_attribute",
                    "fixed_prec_scale",
                    "auto_increment",
                    "local_type_name",
                    "minimum_scale",
                    "maximum_scale",
                    "num_prec_radix")) {
              Object v = root.getVector(column).getObject(i);
              if (v instanceof List<?> list) {
                v = String.join(",", list.stream().map(String::valueOf).toList());
              }
              row.add(v instanceof Number n ? n.longValue() : v == null ? null : v.toString());
            }
            flight.add(row.toString());
            // Flight SQL requires sql_data_type, which JDBC leaves NULL: the type code again
            assertThat(root.getVector("sql_data_type").getObject(i))
                .isEqualTo(root.getVector("data_type").getObject(i));
          }
        }
      }
    }
    assertThat(flight).isNotEmpty().containsExactlyElementsOf(jdbc);
  }
}
