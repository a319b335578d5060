package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowIdLifetime;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replays, over the real driver and a gateway on port 0, the {@link DatabaseMetaData} and {@link
 * Connection} calls that DBeaver, DataGrip and sqlline make on connect and while browsing. Every
 * call must succeed; every result set must have the JDBC-specified column names and types, in
 * order; the populated ones must list exactly what the caller may query.
 *
 * <p>The buyer is {@code globex_user}: it owns {@code purchases} and reads acme's rule {@code
 * orders_public}; acme's datasets are invisible to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ToolMetadataReplayTest {
  /** NQL's keywords beyond Calcite's grammar (planner/src/main/codegen/config.fmpp). */
  private static final List<String> NQL_KEYWORDS =
      List.of(
          "ACCESS",
          "BUCKET",
          "BUDGET",
          "CALENDAR_DAY",
          "CALENDAR_MONTH",
          "COMPANIES",
          "COMPANY",
          "COPY",
          "DATASET",
          "DATASETS",
          "DELIMITER",
          "DISPLAY_NAME",
          "EXPIRE",
          "HEADER",
          "MAPPING",
          "MAPPINGS",
          "MATERIALIZED",
          "NULL_STRING",
          "PARTITIONED_BY",
          "PASSWORD",
          "PRICE_CPM_USD",
          "REFRESH",
          "REFRESH_SCHEDULE",
          "RULE",
          "RULES",
          "SHARE",
          "SUGGEST",
          "TAGS",
          "USD",
          "WRITE_MODE");

  private final Map<Serialization, Gateway> gateways = new EnumMap<>(Serialization.class);

  @BeforeAll
  void start() {
    for (Serialization s : Serialization.values()) {
      gateways.put(s, Gateway.start(TestWarehouse.config().serialization(s).build()));
    }
  }

  @AfterAll
  void stop() {
    gateways.values().forEach(Gateway::close);
  }

  private Connection connect(Serialization s, String user, String password) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:nql://127.0.0.1:"
            + gateways.get(s).jdbcPort()
            + "?serialization="
            + s.name().toLowerCase(Locale.ROOT)
            + "&user="
            + user
            + "&password="
            + password);
  }

  private Connection buyer(Serialization s) throws SQLException {
    return connect(s, "globex_user", TestWarehouse.GLOBEX_PW);
  }

  private Connection provider(Serialization s) throws SQLException {
    return connect(s, "acme_user", TestWarehouse.ACME_PW);
  }

  // --- on connect

  @ParameterizedTest
  @EnumSource(Serialization.class)
  void connectSequence(Serialization s) throws Exception {
    try (Connection c = buyer(s)) {
      DatabaseMetaData md = c.getMetaData();
      assertThat(md.getConnection()).isSameAs(c);

      // identity: driver 0.1, product version from the build, on both sides the same numbers
      assertThat(md.getDatabaseProductName()).isEqualTo("NQL Gateway");
      String product = md.getDatabaseProductVersion();
      assertThat(product).matches("\\d+\\.\\d+(\\.\\d+)?(-SNAPSHOT)?").doesNotContain("$");
      assertThat(md.getDatabaseMajorVersion() + "." + md.getDatabaseMinorVersion())
          .isEqualTo(majorMinor(product))
          .isEqualTo("0.1");
      assertThat(md.getDriverName()).isEqualTo("NQL JDBC Driver");
      assertThat(md.getDriverVersion()).matches("\\d+\\.\\d+(\\.\\d+)?(-SNAPSHOT)?");
      assertThat(md.getDriverMajorVersion() + "." + md.getDriverMinorVersion())
          .isEqualTo(majorMinor(md.getDriverVersion()))
          .isEqualTo("0.1");
      assertThat(md.getJDBCMajorVersion()).isEqualTo(4);
      assertThat(md.getJDBCMinorVersion()).isEqualTo(1);
      assertThat(md.getURL()).startsWith("jdbc:nql://127.0.0.1:");
      assertThat(md.getUserName()).isEqualTo("globex_user");

      // lexical rules: double quotes; unquoted identifiers fold to lower case, quoted ones keep
      // their case and are matched exactly
      assertThat(md.getIdentifierQuoteString()).isEqualTo("\"");
      assertThat(md.storesLowerCaseIdentifiers()).isTrue();
      assertThat(md.storesUpperCaseIdentifiers()).isFalse();
      assertThat(md.storesMixedCaseIdentifiers()).isFalse();
      assertThat(md.supportsMixedCaseIdentifiers()).isFalse();
      assertThat(md.supportsMixedCaseQuotedIdentifiers()).isTrue();
      assertThat(md.storesMixedCaseQuotedIdentifiers()).isFalse();
      assertThat(md.storesLowerCaseQuotedIdentifiers()).isFalse();
      assertThat(md.storesUpperCaseQuotedIdentifiers()).isFalse();
      assertThat(md.getSearchStringEscape()).isEqualTo("\\");
      assertThat(md.getExtraNameCharacters()).isEqualTo("$");

      List<String> keywords = Arrays.asList(md.getSQLKeywords().split(","));
      assertThat(keywords).containsAll(NQL_KEYWORDS).doesNotContain("SELECT", "FROM", "WHERE");
      assertThat(keywords).allMatch(k -> k.matches("[A-Z][A-Z0-9_]*"));
      for (String functions :
          List.of(
              md.getNumericFunctions(),
              md.getStringFunctions(),
              md.getTimeDateFunctions(),
              md.getSystemFunctions())) {
        assertThat(functions).isNotBlank().matches("[A-Z0-9_]+(,[A-Z0-9_]+)*");
      }
      assertThat(md.getNumericFunctions().split(",")).contains("ABS", "FLOOR", "MOD", "POWER");
      assertThat(md.getStringFunctions().split(",")).contains("CONCAT", "LCASE", "UCASE");
      assertThat(md.getTimeDateFunctions().split(",")).contains("CURDATE", "YEAR");

      // names: schema.table; no catalog may be written in a statement
      assertThat(md.getSchemaTerm()).isEqualTo("schema");
      assertThat(md.getCatalogTerm()).isEqualTo("catalog");
      assertThat(md.getProcedureTerm()).isEqualTo("procedure");
      assertThat(md.getCatalogSeparator()).isEqualTo(".");
      assertThat(md.isCatalogAtStart()).isTrue();
      assertThat(md.supportsSchemasInDataManipulation()).isTrue();
      assertThat(md.supportsSchemasInTableDefinitions()).isTrue();
      assertThat(md.supportsSchemasInProcedureCalls()).isFalse();
      assertThat(md.supportsSchemasInIndexDefinitions()).isFalse();
      assertThat(md.supportsSchemasInPrivilegeDefinitions()).isFalse();
      assertThat(md.supportsCatalogsInDataManipulation()).isFalse();
      assertThat(md.supportsCatalogsInTableDefinitions()).isFalse();
      assertThat(md.supportsCatalogsInProcedureCalls()).isFalse();
      assertThat(md.supportsCatalogsInIndexDefinitions()).isFalse();
      assertThat(md.supportsCatalogsInPrivilegeDefinitions()).isFalse();

      // writes work (DDL, COPY); there are no transactions
      assertThat(md.isReadOnly()).isFalse();
      assertThat(md.supportsTransactions()).isFalse();
      assertThat(md.getDefaultTransactionIsolation()).isEqualTo(Connection.TRANSACTION_NONE);
      assertThat(md.supportsTransactionIsolationLevel(Connection.TRANSACTION_NONE)).isTrue();
      assertThat(md.supportsTransactionIsolationLevel(Connection.TRANSACTION_READ_COMMITTED))
          .isFalse();
      assertThat(md.supportsDataManipulationTransactionsOnly()).isFalse();
      assertThat(md.supportsDataDefinitionAndDataManipulationTransactions()).isFalse();
      assertThat(md.dataDefinitionCausesTransactionCommit()).isFalse();
      assertThat(md.dataDefinitionIgnoredInTransactions()).isFalse();
      assertThat(md.supportsMultipleTransactions()).isFalse();
      assertThat(md.supportsSavepoints()).isFalse();
      assertThat(md.supportsBatchUpdates()).isTrue();
      assertThat(md.supportsStoredProcedures()).isFalse();
      assertThat(md.supportsStoredFunctionsUsingCallSyntax()).isFalse();
      assertThat(md.supportsGetGeneratedKeys()).isFalse();
      assertThat(md.supportsSelectForUpdate()).isFalse();
      assertThat(md.supportsMultipleResultSets()).isFalse();
      assertThat(md.supportsResultSetType(ResultSet.TYPE_FORWARD_ONLY)).isTrue();
      assertThat(md.supportsResultSetType(ResultSet.TYPE_SCROLL_INSENSITIVE)).isFalse();
      assertThat(md.supportsResultSetHoldability(ResultSet.HOLD_CURSORS_OVER_COMMIT)).isTrue();
      assertThat(md.supportsResultSetHoldability(ResultSet.CLOSE_CURSORS_AT_COMMIT)).isFalse();
      assertThat(md.getResultSetHoldability()).isEqualTo(ResultSet.HOLD_CURSORS_OVER_COMMIT);
      assertThat(md.getSQLStateType()).isEqualTo(DatabaseMetaData.sqlStateSQL);
      assertThat(md.getRowIdLifetime()).isEqualTo(RowIdLifetime.ROWID_UNSUPPORTED);
      assertThat(md.usesLocalFiles()).isFalse();
      assertThat(md.allTablesAreSelectable()).isTrue();
      assertThat(md.supportsANSI92EntryLevelSQL()).isTrue();
      assertThat(md.supportsANSI92FullSQL()).isFalse();
      assertThat(md.nullPlusNonNullIsNull()).isTrue();

      // NULLs sort as the highest value (Calcite's default), checked against a real ORDER BY below
      assertThat(md.nullsAreSortedHigh()).isTrue();
      assertThat(md.nullsAreSortedLow()).isFalse();
      assertThat(md.nullsAreSortedAtStart()).isFalse();
      assertThat(md.nullsAreSortedAtEnd()).isFalse();

      // 0: no limit the gateway knows of
      for (int max :
          new int[] {
            md.getMaxTableNameLength(),
            md.getMaxColumnNameLength(),
            md.getMaxSchemaNameLength(),
            md.getMaxCatalogNameLength(),
            md.getMaxColumnsInSelect(),
            md.getMaxStatementLength(),
            md.getMaxConnections(),
            md.getMaxRowSize(),
            md.getMaxUserNameLength()
          }) {
        assertThat(max).isZero();
      }

      try (ResultSet rs = md.getCatalogs()) {
        assertShape(rs, "TABLE_CAT", Types.VARCHAR);
        assertThat(rows(rs)).containsExactly(List.of("nql"));
      }
      try (ResultSet rs = md.getSchemas()) {
        assertShape(rs, "TABLE_SCHEM", Types.VARCHAR, "TABLE_CATALOG", Types.VARCHAR);
        assertThat(rows(rs))
            .containsExactly(
                List.of("acme", "nql"),
                List.of("company_data", "nql"),
                List.of("information_schema", "nql"),
                List.of("narrative", "nql"));
      }
      try (ResultSet rs = md.getSchemas("nql", "%a%")) {
        assertShape(rs, "TABLE_SCHEM", Types.VARCHAR, "TABLE_CATALOG", Types.VARCHAR);
        assertThat(rows(rs))
            .containsExactly(
                List.of("acme", "nql"),
                List.of("company_data", "nql"),
                List.of("information_schema", "nql"),
                List.of("narrative", "nql"));
      }
      try (ResultSet rs = md.getSchemas(null, "company\\_data")) {
        assertThat(rows(rs)).containsExactly(List.of("company_data", "nql"));
      }
      try (ResultSet rs = md.getSchemas(null, "globex")) {
        assertThat(rows(rs)).isEmpty();
      }
      try (ResultSet rs = md.getSchemas("other", null)) {
        assertThat(rows(rs)).isEmpty();
      }
      try (ResultSet rs = md.getTableTypes()) {
        assertShape(rs, "TABLE_TYPE", Types.VARCHAR);
        assertThat(rows(rs))
            .containsExactly(List.of("SYSTEM TABLE"), List.of("TABLE"), List.of("VIEW"));
      }
      try (ResultSet rs = md.getTypeInfo()) {
        assertTypeInfo(rs);
      }
      try (ResultSet rs = md.getClientInfoProperties()) {
        assertShape(
            rs,
            "NAME",
            Types.VARCHAR,
            "MAX_LEN",
            Types.INTEGER,
            "DEFAULT_VALUE",
            Types.VARCHAR,
            "DESCRIPTION",
            Types.VARCHAR);
        assertThat(rows(rs)).isEmpty();
      }
    }
  }

  private static String majorMinor(String version) {
    String[] parts = version.split("[.-]");
    return parts[0] + "." + parts[1];
  }

  private static void assertTypeInfo(ResultSet rs) throws SQLException {
    assertShape(
        rs,
        "TYPE_NAME",
        Types.VARCHAR,
        "DATA_TYPE",
        Types.INTEGER,
        "PRECISION",
        Types.INTEGER,
        "LITERAL_PREFIX",
        Types.VARCHAR,
        "LITERAL_SUFFIX",
        Types.VARCHAR,
        "CREATE_PARAMS",
        Types.VARCHAR,
        "NULLABLE",
        Types.SMALLINT,
        "CASE_SENSITIVE",
        Types.BOOLEAN,
        "SEARCHABLE",
        Types.SMALLINT,
        "UNSIGNED_ATTRIBUTE",
        Types.BOOLEAN,
        "FIXED_PREC_SCALE",
        Types.BOOLEAN,
        "AUTO_INCREMENT",
        Types.BOOLEAN,
        "LOCAL_TYPE_NAME",
        Types.VARCHAR,
        "MINIMUM_SCALE",
        Types.SMALLINT,
        "MAXIMUM_SCALE",
        Types.SMALLINT,
        "SQL_DATA_TYPE",
        Types.INTEGER,
        "SQL_DATETIME_SUB",
        Types.INTEGER,
        "NUM_PREC_RADIX",
        Types.INTEGER);
    List<String> names = new ArrayList<>();
    List<Integer> codes = new ArrayList<>();
    while (rs.next()) {
      names.add(rs.getString("TYPE_NAME"));
      codes.add(rs.getInt("DATA_TYPE"));
      assertThat(rs.getShort("NULLABLE")).isEqualTo((short) DatabaseMetaData.typeNullable);
      assertThat(rs.getBoolean("AUTO_INCREMENT")).isFalse();
      switch (rs.getString("TYPE_NAME")) {
        case "DECIMAL" -> {
          assertThat(rs.getInt("PRECISION")).isEqualTo(38);
          assertThat(rs.getString("CREATE_PARAMS")).isEqualTo("precision,scale");
          assertThat(rs.getShort("MAXIMUM_SCALE")).isEqualTo((short) 38);
          assertThat(rs.getInt("NUM_PREC_RADIX")).isEqualTo(10);
        }
        case "VARCHAR" -> {
          assertThat(rs.getString("LITERAL_PREFIX")).isEqualTo("'");
          assertThat(rs.getBoolean("CASE_SENSITIVE")).isTrue();
          assertThat(rs.getInt("PRECISION")).isEqualTo(Integer.MAX_VALUE);
          assertThat(rs.getObject("NUM_PREC_RADIX")).isNull();
        }
        case "BIGINT" -> {
          assertThat(rs.getInt("PRECISION")).isEqualTo(19);
          assertThat(rs.getBoolean("UNSIGNED_ATTRIBUTE")).isFalse();
          assertThat(rs.getInt("NUM_PREC_RADIX")).isEqualTo(10);
        }
        case "DOUBLE" -> {
          assertThat(rs.getInt("PRECISION")).isEqualTo(15);
          assertThat(rs.getInt("NUM_PREC_RADIX")).isEqualTo(10);
        }
        case "TIMESTAMP" -> {
          assertThat(rs.getString("LITERAL_PREFIX")).isEqualTo("TIMESTAMP '");
          assertThat(rs.getShort("MAXIMUM_SCALE")).isEqualTo((short) 3);
        }
        default -> {}
      }
    }
    assertThat(names)
        .contains(
            "BOOLEAN",
            "INTEGER",
            "BIGINT",
            "DOUBLE",
            "DECIMAL",
            "VARCHAR",
            "VARBINARY",
            "DATE",
            "TIME",
            "TIMESTAMP");
    // JDBC: ordered by DATA_TYPE
    List<Integer> sorted = new ArrayList<>(codes);
    sorted.sort(null);
    assertThat(codes).isEqualTo(sorted);
  }

  // --- browsing

  private static final Object[] TABLES_SHAPE = {
    "TABLE_CAT", Types.VARCHAR,
    "TABLE_SCHEM", Types.VARCHAR,
    "TABLE_NAME", Types.VARCHAR,
    "TABLE_TYPE", Types.VARCHAR,
    "REMARKS", Types.VARCHAR,
    "TYPE_CAT", Types.VARCHAR,
    "TYPE_SCHEM", Types.VARCHAR,
    "TYPE_NAME", Types.VARCHAR,
    "SELF_REFERENCING_COL_NAME", Types.VARCHAR,
    "REF_GENERATION", Types.VARCHAR
  };

  private static final Object[] COLUMNS_SHAPE = {
    "TABLE_CAT", Types.VARCHAR,
    "TABLE_SCHEM", Types.VARCHAR,
    "TABLE_NAME", Types.VARCHAR,
    "COLUMN_NAME", Types.VARCHAR,
    "DATA_TYPE", Types.INTEGER,
    "TYPE_NAME", Types.VARCHAR,
    "COLUMN_SIZE", Types.INTEGER,
    "BUFFER_LENGTH", Types.INTEGER,
    "DECIMAL_DIGITS", Types.INTEGER,
    "NUM_PREC_RADIX", Types.INTEGER,
    "NULLABLE", Types.INTEGER,
    "REMARKS", Types.VARCHAR,
    "COLUMN_DEF", Types.VARCHAR,
    "SQL_DATA_TYPE", Types.INTEGER,
    "SQL_DATETIME_SUB", Types.INTEGER,
    "CHAR_OCTET_LENGTH", Types.INTEGER,
    "ORDINAL_POSITION", Types.INTEGER,
    "IS_NULLABLE", Types.VARCHAR,
    "SCOPE_CATALOG", Types.VARCHAR,
    "SCOPE_SCHEMA", Types.VARCHAR,
    "SCOPE_TABLE", Types.VARCHAR,
    "SOURCE_DATA_TYPE", Types.SMALLINT,
    "IS_AUTOINCREMENT", Types.VARCHAR,
    "IS_GENERATEDCOLUMN", Types.VARCHAR
  };

  @ParameterizedTest
  @EnumSource(Serialization.class)
  void browseTablesAndColumns(Serialization s) throws Exception {
    try (Connection c = buyer(s)) {
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getTables(null, null, "%", null)) {
        assertShape(rs, TABLES_SHAPE);
        // JDBC order: TABLE_TYPE, TABLE_CAT, TABLE_SCHEM, TABLE_NAME
        assertThat(rows(rs))
            .containsExactly(
                Arrays.asList(
                    "nql",
                    "company_data",
                    "_ledger",
                    "SYSTEM TABLE",
                    "the ledger (read-only)",
                    null,
                    null,
                    null,
                    null,
                    null),
                Arrays.asList(
                    "nql",
                    "information_schema",
                    "columns",
                    "SYSTEM TABLE",
                    "SQL-standard metadata (read-only)",
                    null,
                    null,
                    null,
                    null,
                    null),
                Arrays.asList(
                    "nql",
                    "information_schema",
                    "key_column_usage",
                    "SYSTEM TABLE",
                    "SQL-standard metadata (read-only)",
                    null,
                    null,
                    null,
                    null,
                    null),
                Arrays.asList(
                    "nql",
                    "information_schema",
                    "schemata",
                    "SYSTEM TABLE",
                    "SQL-standard metadata (read-only)",
                    null,
                    null,
                    null,
                    null,
                    null),
                Arrays.asList(
                    "nql",
                    "information_schema",
                    "table_constraints",
                    "SYSTEM TABLE",
                    "SQL-standard metadata (read-only)",
                    null,
                    null,
                    null,
                    null,
                    null),
                Arrays.asList(
                    "nql",
                    "information_schema",
                    "tables",
                    "SYSTEM TABLE",
                    "SQL-standard metadata (read-only)",
                    null,
                    null,
                    null,
                    null,
                    null),
                Arrays.asList(
                    "nql",
                    "information_schema",
                    "views",
                    "SYSTEM TABLE",
                    "SQL-standard metadata (read-only)",
                    null,
                    null,
                    null,
                    null,
                    null),
                Arrays.asList(
                    "nql",
                    "company_data",
                    "purchases",
                    "TABLE",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null),
                Arrays.asList(
                    "nql",
                    "acme",
                    "orders_public",
                    "VIEW",
                    "access rule",
                    null,
                    null,
                    null,
                    null,
                    null));
      }
      try (ResultSet rs = md.getTables("nql", "%", "%", new String[] {"TABLE", "VIEW"})) {
        assertShape(rs, TABLES_SHAPE);
        assertThat(tableNames(rs)).containsExactly("company_data.purchases", "acme.orders_public");
      }
      try (ResultSet rs = md.getTables(null, "acme", null, new String[] {"TABLE"})) {
        assertThat(rows(rs)).isEmpty();
      }
      try (ResultSet rs = md.getTables(null, "globex", "%", null)) {
        assertThat(rows(rs)).isEmpty();
      }
      try (ResultSet rs = md.getTables(null, "narrative", "%", null)) {
        assertThat(rows(rs)).isEmpty();
      }
      try (ResultSet rs = md.getTables(null, null, "orders", null)) {
        assertThat(rows(rs)).as("acme's own datasets stay invisible").isEmpty();
      }

      try (ResultSet rs = md.getColumns(null, "company_data", "purchases", null)) {
        assertShape(rs, COLUMNS_SHAPE);
        assertThat(rows(rs))
            .containsExactly(
                Arrays.asList(
                    "nql",
                    "company_data",
                    "purchases",
                    "id",
                    Types.BIGINT,
                    "BIGINT",
                    19,
                    null,
                    0,
                    10,
                    DatabaseMetaData.columnNullable,
                    null,
                    null,
                    null,
                    null,
                    null,
                    1,
                    "YES",
                    null,
                    null,
                    null,
                    null,
                    "NO",
                    "NO"),
                Arrays.asList(
                    "nql",
                    "company_data",
                    "purchases",
                    "amount",
                    Types.DECIMAL,
                    "DECIMAL",
                    12,
                    null,
                    2,
                    10,
                    DatabaseMetaData.columnNullable,
                    null,
                    null,
                    null,
                    null,
                    null,
                    2,
                    "YES",
                    null,
                    null,
                    null,
                    null,
                    "NO",
                    "NO"));
      }
      try (ResultSet rs = md.getColumns(null, "acme", "orders\\_public", "%")) {
        assertShape(rs, COLUMNS_SHAPE);
        List<String> cols = new ArrayList<>();
        while (rs.next()) {
          cols.add(
              rs.getInt("ORDINAL_POSITION")
                  + " "
                  + rs.getString("COLUMN_NAME")
                  + " "
                  + rs.getInt("DATA_TYPE")
                  + " "
                  + rs.getString("TYPE_NAME")
                  + " "
                  + rs.getObject("COLUMN_SIZE")
                  + " "
                  + rs.getObject("DECIMAL_DIGITS")
                  + " "
                  + rs.getInt("NULLABLE")
                  + " "
                  + rs.getString("IS_NULLABLE"));
        }
        assertThat(cols)
            .containsExactly(
                "1 order_id " + Types.BIGINT + " BIGINT 19 0 1 YES",
                "2 city " + Types.VARCHAR + " VARCHAR " + Integer.MAX_VALUE + " null 1 YES",
                "3 _price_cpm_usd " + Types.DECIMAL + " DECIMAL 12 2 0 NO",
                "4 _source_company_id " + Types.BIGINT + " BIGINT 19 0 0 NO",
                "5 _access_rule_id " + Types.BIGINT + " BIGINT 19 0 0 NO");
      }
      try (ResultSet rs = md.getColumns(null, "company_data", "_ledger", null)) {
        assertShape(rs, COLUMNS_SHAPE);
        assertThat(rows(rs)).isNotEmpty();
      }
      try (ResultSet rs = md.getColumns(null, null, "orders", null)) {
        assertThat(rows(rs)).isEmpty();
      }

      // Every listed table can be queried, and its columns are what a query returns.
      assertColumnsMatchQueries(c);
    }
  }

  /** For each table getTables lists, getColumns agrees with the prepared SELECT * signature. */
  private static void assertColumnsMatchQueries(Connection c) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    Set<String> typeNames = new TreeSet<>();
    try (ResultSet rs = md.getTypeInfo()) {
      while (rs.next()) {
        typeNames.add(rs.getString("TYPE_NAME"));
      }
    }
    for (String table : tableNames(md.getTables(null, null, "%", null))) {
      String[] parts = table.split("\\.");
      try (PreparedStatement ps =
              c.prepareStatement("SELECT * FROM " + parts[0] + ".\"" + parts[1] + "\"");
          ResultSet cols = md.getColumns(null, parts[0], parts[1].replace("_", "\\_"), "%")) {
        ResultSetMetaData q = ps.getMetaData();
        int i = 0;
        while (cols.next()) {
          i++;
          String where = table + "." + cols.getString("COLUMN_NAME");
          assertThat(cols.getInt("ORDINAL_POSITION")).as(where).isEqualTo(i);
          assertThat(cols.getString("COLUMN_NAME")).as(where).isEqualTo(q.getColumnName(i));
          assertThat(cols.getInt("DATA_TYPE")).as(where).isEqualTo(q.getColumnType(i));
          assertThat(cols.getString("TYPE_NAME")).as(where).isEqualTo(q.getColumnTypeName(i));
          assertThat(typeNames).as(where).contains(cols.getString("TYPE_NAME"));
          assertThat(cols.getInt("NULLABLE")).as(where).isEqualTo(q.isNullable(i));
          assertThat(cols.getString("IS_NULLABLE"))
              .as(where)
              .isEqualTo(q.isNullable(i) == ResultSetMetaData.columnNullable ? "YES" : "NO");
          if (q.getColumnType(i) == Types.DECIMAL) {
            assertThat(cols.getInt("COLUMN_SIZE")).as(where).isEqualTo(q.getPrecision(i));
            assertThat(cols.getInt("DECIMAL_DIGITS")).as(where).isEqualTo(q.getScale(i));
          }
        }
        assertThat(i).as(table).isEqualTo(q.getColumnCount());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Serialization.class)
  void providerSeesItsOwnAndNothingOfTheBuyers(Serialization s) throws Exception {
    try (Connection c = provider(s)) {
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getSchemas()) {
        assertThat(rows(rs))
            .as("no rule is shared with acme: its own namespace, information_schema and narrative")
            .containsExactly(
                List.of("company_data", "nql"),
                List.of("information_schema", "nql"),
                List.of("narrative", "nql"));
      }
      try (ResultSet rs = md.getTables(null, null, null, null)) {
        assertThat(tableNames(rs))
            .containsExactly(
                "company_data._ledger",
                "information_schema.columns",
                "information_schema.key_column_usage",
                "information_schema.schemata",
                "information_schema.table_constraints",
                "information_schema.tables",
                "information_schema.views",
                "company_data.numbers",
                "company_data.orders",
                "company_data.orders_public");
      }
      try (ResultSet rs = md.getTables(null, null, null, new String[] {"VIEW"})) {
        assertThat(tableNames(rs)).containsExactly("company_data.orders_public");
      }
      try (ResultSet rs = md.getColumns(null, "company_data", "orders", null)) {
        List<String> cols = new ArrayList<>();
        while (rs.next()) {
          cols.add(
              rs.getString("COLUMN_NAME")
                  + " "
                  + rs.getString("TYPE_NAME")
                  + " "
                  + rs.getObject("COLUMN_SIZE")
                  + " "
                  + rs.getObject("DECIMAL_DIGITS")
                  + " "
                  + rs.getObject("NUM_PREC_RADIX")
                  + " "
                  + rs.getObject("CHAR_OCTET_LENGTH"));
        }
        assertThat(cols).hasSize(6);
        assertThat(cols.get(0)).isEqualTo("order_id BIGINT 19 0 10 null");
        assertThat(cols.get(1)).startsWith("amount DECIMAL ").endsWith(" 10 null");
        assertThat(cols.get(2))
            .isEqualTo("city VARCHAR " + Integer.MAX_VALUE + " null null " + Integer.MAX_VALUE);
        assertThat(cols.get(3)).isEqualTo("ordered_on DATE 10 null null null");
        assertThat(cols.get(4)).isEqualTo("ordered_at TIMESTAMP 23 3 null null");
        assertThat(cols.get(5)).isEqualTo("paid BOOLEAN 1 null null null");
      }
      try (ResultSet rs = md.getColumns(null, "company_data", "purchases", null)) {
        assertThat(rows(rs)).isEmpty();
      }
      assertColumnsMatchQueries(c);

      // nullsAreSortedHigh: NULL comes last ascending and first descending
      try (Statement st = c.createStatement()) {
        assertThat(firstColumn(st, "SELECT amount FROM company_data.orders ORDER BY amount"))
            .endsWith((Object) null);
        assertThat(firstColumn(st, "SELECT amount FROM company_data.orders ORDER BY amount DESC"))
            .startsWith((Object) null);
        // getExtraNameCharacters: '$' may appear in an unquoted identifier
        try (ResultSet rs = st.executeQuery("SELECT 1 AS a$b FROM company_data.orders LIMIT 1")) {
          assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("a$b");
        }
      }
    }
  }

  private static List<Object> firstColumn(Statement st, String sql) throws SQLException {
    List<Object> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getObject(1));
      }
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(Serialization.class)
  void keysIndexesPrivilegesRoutinesAreTypedAndEmpty(Serialization s) throws Exception {
    try (Connection c = buyer(s)) {
      DatabaseMetaData md = c.getMetaData();
      String schema = "company_data";
      String table = "purchases";
      Object[] keys = {
        "PKTABLE_CAT", Types.VARCHAR,
        "PKTABLE_SCHEM", Types.VARCHAR,
        "PKTABLE_NAME", Types.VARCHAR,
        "PKCOLUMN_NAME", Types.VARCHAR,
        "FKTABLE_CAT", Types.VARCHAR,
        "FKTABLE_SCHEM", Types.VARCHAR,
        "FKTABLE_NAME", Types.VARCHAR,
        "FKCOLUMN_NAME", Types.VARCHAR,
        "KEY_SEQ", Types.SMALLINT,
        "UPDATE_RULE", Types.SMALLINT,
        "DELETE_RULE", Types.SMALLINT,
        "FK_NAME", Types.VARCHAR,
        "PK_NAME", Types.VARCHAR,
        "DEFERRABILITY", Types.SMALLINT
      };
      Object[] rowIds = {
        "SCOPE", Types.SMALLINT,
        "COLUMN_NAME", Types.VARCHAR,
        "DATA_TYPE", Types.INTEGER,
        "TYPE_NAME", Types.VARCHAR,
        "COLUMN_SIZE", Types.INTEGER,
        "BUFFER_LENGTH", Types.INTEGER,
        "DECIMAL_DIGITS", Types.SMALLINT,
        "PSEUDO_COLUMN", Types.SMALLINT
      };
      assertEmpty(
          md.getPrimaryKeys(null, schema, table),
          "TABLE_CAT",
          Types.VARCHAR,
          "TABLE_SCHEM",
          Types.VARCHAR,
          "TABLE_NAME",
          Types.VARCHAR,
          "COLUMN_NAME",
          Types.VARCHAR,
          "KEY_SEQ",
          Types.SMALLINT,
          "PK_NAME",
          Types.VARCHAR);
      assertEmpty(md.getImportedKeys(null, schema, table), keys);
      assertEmpty(md.getExportedKeys(null, schema, table), keys);
      assertEmpty(md.getCrossReference(null, schema, table, null, "acme", "orders_public"), keys);
      assertEmpty(
          md.getIndexInfo(null, schema, table, false, true),
          "TABLE_CAT",
          Types.VARCHAR,
          "TABLE_SCHEM",
          Types.VARCHAR,
          "TABLE_NAME",
          Types.VARCHAR,
          "NON_UNIQUE",
          Types.BOOLEAN,
          "INDEX_QUALIFIER",
          Types.VARCHAR,
          "INDEX_NAME",
          Types.VARCHAR,
          "TYPE",
          Types.SMALLINT,
          "ORDINAL_POSITION",
          Types.SMALLINT,
          "COLUMN_NAME",
          Types.VARCHAR,
          "ASC_OR_DESC",
          Types.VARCHAR,
          "CARDINALITY",
          Types.BIGINT,
          "PAGES",
          Types.BIGINT,
          "FILTER_CONDITION",
          Types.VARCHAR);
      assertEmpty(
          md.getTablePrivileges(null, schema, "%"),
          "TABLE_CAT",
          Types.VARCHAR,
          "TABLE_SCHEM",
          Types.VARCHAR,
          "TABLE_NAME",
          Types.VARCHAR,
          "GRANTOR",
          Types.VARCHAR,
          "GRANTEE",
          Types.VARCHAR,
          "PRIVILEGE",
          Types.VARCHAR,
          "IS_GRANTABLE",
          Types.VARCHAR);
      assertEmpty(
          md.getColumnPrivileges(null, schema, table, "%"),
          "TABLE_CAT",
          Types.VARCHAR,
          "TABLE_SCHEM",
          Types.VARCHAR,
          "TABLE_NAME",
          Types.VARCHAR,
          "COLUMN_NAME",
          Types.VARCHAR,
          "GRANTOR",
          Types.VARCHAR,
          "GRANTEE",
          Types.VARCHAR,
          "PRIVILEGE",
          Types.VARCHAR,
          "IS_GRANTABLE",
          Types.VARCHAR);
      assertEmpty(
          md.getBestRowIdentifier(null, schema, table, DatabaseMetaData.bestRowSession, true),
          rowIds);
      assertEmpty(md.getVersionColumns(null, schema, table), rowIds);
      // JDBC leaves the names of the three reserved columns open; Avatica calls them FUTURE_USE
      assertEmpty(
          md.getProcedures(null, null, "%"),
          "PROCEDURE_CAT",
          Types.VARCHAR,
          "PROCEDURE_SCHEM",
          Types.VARCHAR,
          "PROCEDURE_NAME",
          Types.VARCHAR,
          "FUTURE_USE1",
          Types.VARCHAR,
          "FUTURE_USE2",
          Types.VARCHAR,
          "FUTURE_USE3",
          Types.VARCHAR,
          "REMARKS",
          Types.VARCHAR,
          "PROCEDURE_TYPE",
          Types.SMALLINT,
          "SPECIFIC_NAME",
          Types.VARCHAR);
      assertEmpty(
          md.getProcedureColumns(null, null, "%", "%"),
          "PROCEDURE_CAT",
          Types.VARCHAR,
          "PROCEDURE_SCHEM",
          Types.VARCHAR,
          "PROCEDURE_NAME",
          Types.VARCHAR,
          "COLUMN_NAME",
          Types.VARCHAR,
          "COLUMN_TYPE",
          Types.SMALLINT,
          "DATA_TYPE",
          Types.INTEGER,
          "TYPE_NAME",
          Types.VARCHAR,
          "PRECISION",
          Types.INTEGER,
          "LENGTH",
          Types.INTEGER,
          "SCALE",
          Types.SMALLINT,
          "RADIX",
          Types.SMALLINT,
          "NULLABLE",
          Types.SMALLINT,
          "REMARKS",
          Types.VARCHAR,
          "COLUMN_DEF",
          Types.VARCHAR,
          "SQL_DATA_TYPE",
          Types.INTEGER,
          "SQL_DATETIME_SUB",
          Types.INTEGER,
          "CHAR_OCTET_LENGTH",
          Types.INTEGER,
          "ORDINAL_POSITION",
          Types.INTEGER,
          "IS_NULLABLE",
          Types.VARCHAR,
          "SPECIFIC_NAME",
          Types.VARCHAR);
      assertEmpty(
          md.getFunctions(null, null, "%"),
          "FUNCTION_CAT",
          Types.VARCHAR,
          "FUNCTION_SCHEM",
          Types.VARCHAR,
          "FUNCTION_NAME",
          Types.VARCHAR,
          "REMARKS",
          Types.VARCHAR,
          "FUNCTION_TYPE",
          Types.SMALLINT,
          "SPECIFIC_NAME",
          Types.VARCHAR);
      assertEmpty(
          md.getFunctionColumns(null, null, "%", "%"),
          "FUNCTION_CAT",
          Types.VARCHAR,
          "FUNCTION_SCHEM",
          Types.VARCHAR,
          "FUNCTION_NAME",
          Types.VARCHAR,
          "COLUMN_NAME",
          Types.VARCHAR,
          "COLUMN_TYPE",
          Types.SMALLINT,
          "DATA_TYPE",
          Types.INTEGER,
          "TYPE_NAME",
          Types.VARCHAR,
          "PRECISION",
          Types.INTEGER,
          "LENGTH",
          Types.INTEGER,
          "SCALE",
          Types.SMALLINT,
          "RADIX",
          Types.SMALLINT,
          "NULLABLE",
          Types.SMALLINT,
          "REMARKS",
          Types.VARCHAR,
          "CHAR_OCTET_LENGTH",
          Types.INTEGER,
          "ORDINAL_POSITION",
          Types.INTEGER,
          "IS_NULLABLE",
          Types.VARCHAR,
          "SPECIFIC_NAME",
          Types.VARCHAR);
      assertEmpty(
          md.getUDTs(null, null, "%", null),
          "TYPE_CAT",
          Types.VARCHAR,
          "TYPE_SCHEM",
          Types.VARCHAR,
          "TYPE_NAME",
          Types.VARCHAR,
          "CLASS_NAME",
          Types.VARCHAR,
          "DATA_TYPE",
          Types.INTEGER,
          "REMARKS",
          Types.VARCHAR,
          "BASE_TYPE",
          Types.SMALLINT);
      assertEmpty(
          md.getSuperTypes(null, null, "%"),
          "TYPE_CAT",
          Types.VARCHAR,
          "TYPE_SCHEM",
          Types.VARCHAR,
          "TYPE_NAME",
          Types.VARCHAR,
          "SUPERTYPE_CAT",
          Types.VARCHAR,
          "SUPERTYPE_SCHEM",
          Types.VARCHAR,
          "SUPERTYPE_NAME",
          Types.VARCHAR);
      assertEmpty(
          md.getSuperTables(null, null, "%"),
          "TABLE_CAT",
          Types.VARCHAR,
          "TABLE_SCHEM",
          Types.VARCHAR,
          "TABLE_NAME",
          Types.VARCHAR,
          "SUPERTABLE_NAME",
          Types.VARCHAR);
      assertEmpty(
          md.getAttributes(null, null, "%", "%"),
          "TYPE_CAT",
          Types.VARCHAR,
          "TYPE_SCHEM",
          Types.VARCHAR,
          "TYPE_NAME",
          Types.VARCHAR,
          "ATTR_NAME",
          Types.VARCHAR,
          "DATA_TYPE",
          Types.INTEGER,
          "ATTR_TYPE_NAME",
          Types.VARCHAR,
          "ATTR_SIZE",
          Types.INTEGER,
          "DECIMAL_DIGITS",
          Types.INTEGER,
          "NUM_PREC_RADIX",
          Types.INTEGER,
          "NULLABLE",
          Types.INTEGER,
          "REMARKS",
          Types.VARCHAR,
          "ATTR_DEF",
          Types.VARCHAR,
          "SQL_DATA_TYPE",
          Types.INTEGER,
          "SQL_DATETIME_SUB",
          Types.INTEGER,
          "CHAR_OCTET_LENGTH",
          Types.INTEGER,
          "ORDINAL_POSITION",
          Types.INTEGER,
          "IS_NULLABLE",
          Types.VARCHAR,
          "SCOPE_CATALOG",
          Types.VARCHAR,
          "SCOPE_SCHEMA",
          Types.VARCHAR,
          "SCOPE_TABLE",
          Types.VARCHAR,
          "SOURCE_DATA_TYPE",
          Types.SMALLINT);
      // The rule's pseudo-columns are ordinary columns of it (SELECT * returns them): no hidden
      // pseudo-columns exist.
      assertEmpty(
          md.getPseudoColumns(null, "acme", "orders_public", "%"),
          "TABLE_CAT",
          Types.VARCHAR,
          "TABLE_SCHEM",
          Types.VARCHAR,
          "TABLE_NAME",
          Types.VARCHAR,
          "COLUMN_NAME",
          Types.VARCHAR,
          "DATA_TYPE",
          Types.INTEGER,
          "COLUMN_SIZE",
          Types.INTEGER,
          "DECIMAL_DIGITS",
          Types.INTEGER,
          "NUM_PREC_RADIX",
          Types.INTEGER,
          "COLUMN_USAGE",
          Types.VARCHAR,
          "REMARKS",
          Types.VARCHAR,
          "CHAR_OCTET_LENGTH",
          Types.INTEGER,
          "IS_NULLABLE",
          Types.VARCHAR);
    }
  }

  @ParameterizedTest
  @EnumSource(Serialization.class)
  void connectionCalls(Serialization s) throws Exception {
    try (Connection c = buyer(s)) {
      assertThat(c.getMetaData()).isNotNull();
      assertThat(c.getCatalog()).isEqualTo("nql");
      assertThat(c.getSchema()).as("no default schema: names are schema-qualified").isNull();
      assertThat(c.getAutoCommit()).isTrue();
      c.setAutoCommit(true);
      assertThat(c.getAutoCommit()).isTrue();
      assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_NONE);
      assertThat(c.isReadOnly()).as("DDL and COPY work").isFalse();
      c.setReadOnly(false);
      assertThat(c.isReadOnly()).isFalse();
      assertThat(c.getClientInfo()).isEmpty();
      assertThat(c.getClientInfo("ApplicationName")).isNull();
      assertThat(c.isValid(5)).isTrue();
      assertThat(c.getHoldability()).isEqualTo(ResultSet.HOLD_CURSORS_OVER_COMMIT);
      assertThat(c.nativeSQL("SELECT 1")).isEqualTo("SELECT 1");
      assertThat((Object) c.getWarnings()).isNull();
      c.clearWarnings();
      // the statement DBeaver runs after connecting still works
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM company_data.purchases")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isZero();
      }
    }
    Connection closed = buyer(s);
    closed.close();
    assertThat(closed.isValid(5)).isFalse();
  }

  // --- helpers

  private static void assertEmpty(ResultSet rs, Object... shape) throws SQLException {
    try (rs) {
      assertShape(rs, shape);
      assertThat(rs.next()).isFalse();
    }
  }

  /** Asserts column names and java.sql.Types codes, in order: name, type, name, type, … */
  private static void assertShape(ResultSet rs, Object... shape) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < shape.length; i += 2) {
      expected.add(shape[i] + ":" + shape[i + 1]);
    }
    List<String> actual = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      actual.add(md.getColumnName(i) + ":" + md.getColumnType(i));
      assertThat(md.getColumnLabel(i)).isEqualTo(md.getColumnName(i));
    }
    assertThat(actual).containsExactlyElementsOf(expected);
  }

  private static List<List<Object>> rows(ResultSet rs) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    int n = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      List<Object> row = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        row.add(rs.getObject(i));
      }
      out.add(row);
    }
    return out;
  }

  private static List<String> tableNames(ResultSet rs) throws SQLException {
    List<String> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        out.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"));
      }
    }
    return out;
  }
}
