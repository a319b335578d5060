package io.nql.server.gateway;

import static io.nql.server.gateway.JdbcShapes.assertEmpty;
import static io.nql.server.gateway.JdbcShapes.assertShape;
import static io.nql.server.gateway.JdbcShapes.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What DBeaver, DataGrip and sqlline ask on connect, over each driver: who the server and driver
 * are, NQL's keywords and functions, the catalog, schemas, table and data types, and the {@link
 * Connection} calls. The capability flags are {@link DbInfoReplayTest}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectReplayTest {
  @RegisterExtension static final ReplayClient.Gateways GATEWAYS = new ReplayClient.Gateways();

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

  private static String majorMinor(String version) {
    String[] parts = version.split("[.-]");
    return parts[0] + "." + parts[1];
  }

  /** A comma-separated list answer, as a list. */
  private static List<String> list(ReplayClient client, String answer) {
    return client.flight() ? FlightJdbcDriver.list(answer) : Arrays.asList(answer.split(","));
  }

  @ParameterizedTest
  @EnumSource(ReplayClient.class)
  void identityKeywordsAndFunctions(ReplayClient client) throws Exception {
    try (Connection c = client.buyer(GATEWAYS)) {
      DatabaseMetaData md = c.getMetaData();
      assertThat(md.getConnection()).isSameAs(c);
      assertThat(md.getDatabaseProductName()).isEqualTo("NQL Gateway");
      String product = md.getDatabaseProductVersion();
      assertThat(product).matches("\\d+\\.\\d+(\\.\\d+)?(-SNAPSHOT)?").doesNotContain("$");
      assertThat(majorMinor(product)).isEqualTo("0.1");
      String database = md.getDatabaseMajorVersion() + "." + md.getDatabaseMinorVersion();
      String driver = md.getDriverMajorVersion() + "." + md.getDriverMinorVersion();
      assertThat(driver).isEqualTo(majorMinor(md.getDriverVersion()));
      if (client.flight()) {
        assertThat(md.getDriverName()).isEqualTo("Arrow Flight SQL JDBC Driver Core");
        assertThat(md.getDriverVersion()).isEqualTo("18.3.0");
        // FlightJdbcDriver.OWN_ANSWERS: the driver's version, not the server's
        assertThat(database).isEqualTo("18.3");
      } else {
        assertThat(md.getDriverName()).isEqualTo("NQL JDBC Driver");
        assertThat(md.getDriverVersion()).matches("\\d+\\.\\d+(\\.\\d+)?(-SNAPSHOT)?");
        assertThat(driver).isEqualTo("0.1");
        assertThat(database).isEqualTo("0.1");
      }
      assertThat(md.getURL()).startsWith(client.urlPrefix());
      assertThat(md.getUserName()).isEqualTo("globex_user");

      List<String> keywords = list(client, md.getSQLKeywords());
      assertThat(keywords).containsAll(NQL_KEYWORDS).doesNotContain("SELECT", "FROM", "WHERE");
      assertThat(keywords).allMatch(k -> k.matches("[A-Z][A-Z0-9_]*"));
      for (String functions :
          List.of(
              md.getNumericFunctions(),
              md.getStringFunctions(),
              md.getTimeDateFunctions(),
              md.getSystemFunctions())) {
        assertThat(list(client, functions)).isNotEmpty().allMatch(f -> f.matches("[A-Z0-9_]+"));
      }
      assertThat(list(client, md.getNumericFunctions())).contains("ABS", "FLOOR", "MOD", "POWER");
      assertThat(list(client, md.getStringFunctions())).contains("CONCAT", "LCASE", "UCASE");
      assertThat(list(client, md.getTimeDateFunctions())).contains("CURDATE", "YEAR");
      assertThat(list(client, md.getSystemFunctions())).contains("CONVERT", "IFNULL");
    }
  }

  @ParameterizedTest
  @EnumSource(ReplayClient.class)
  void catalogSchemasTableAndDataTypes(ReplayClient client) throws Exception {
    try (Connection c = client.buyer(GATEWAYS)) {
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getCatalogs()) {
        assertShape(rs, JdbcShapes.CATALOGS);
        assertThat(rows(rs)).containsExactly(List.of("nql"));
      }
      List<List<Object>> all =
          List.of(
              List.of("acme", "nql"),
              List.of("company_data", "nql"),
              List.of("information_schema", "nql"),
              List.of("narrative", "nql"));
      try (ResultSet rs = md.getSchemas()) {
        assertShape(rs, JdbcShapes.SCHEMAS);
        assertThat(rows(rs)).containsExactlyElementsOf(all);
      }
      try (ResultSet rs = md.getSchemas("nql", "%a%")) {
        assertShape(rs, JdbcShapes.SCHEMAS);
        assertThat(rows(rs)).containsExactlyElementsOf(all);
      }
      try (ResultSet rs = md.getSchemas(null, "company\\_data")) {
        assertThat(rows(rs)).containsExactly(List.of("company_data", "nql"));
      }
      assertEmpty(client, md.getSchemas(null, "globex"), JdbcShapes.SCHEMAS);
      assertEmpty(client, md.getSchemas("other", null), JdbcShapes.SCHEMAS);
      try (ResultSet rs = md.getTableTypes()) {
        assertShape(rs, JdbcShapes.TABLE_TYPES);
        assertThat(rows(rs))
            .containsExactly(List.of("SYSTEM TABLE"), List.of("TABLE"), List.of("VIEW"));
      }
      try (ResultSet rs = md.getTypeInfo()) {
        assertShape(rs, JdbcShapes.TYPE_INFO);
        if (client.flight()) {
          // The driver has no getTypeInfo of its own: Avatica's empty default, it never sends
          // GetXdbcTypeInfo (whose rows FlightMetadataCommandsTest compares with jdbc:nql's).
          assertThat(rs.next()).isFalse();
        } else {
          assertTypeInfo(rs);
        }
      }
      assertEmpty(md.getClientInfoProperties(), JdbcShapes.CLIENT_INFO_PROPERTIES);
    }
  }

  private static void assertTypeInfo(ResultSet rs) throws SQLException {
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
          assertThat(rs.getShort("SEARCHABLE")).isEqualTo((short) DatabaseMetaData.typeSearchable);
        }
        case "VARBINARY" ->
            // LIKE refuses binaries
            assertThat(rs.getShort("SEARCHABLE")).isEqualTo((short) DatabaseMetaData.typePredBasic);
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
          // microseconds, as datasets store them
          assertThat(rs.getShort("MAXIMUM_SCALE")).isEqualTo((short) 6);
        }
        case "TIMESTAMP WITH TIME ZONE" -> {
          assertThat(rs.getInt("DATA_TYPE")).isEqualTo(Types.TIMESTAMP_WITH_TIMEZONE);
          assertThat(rs.getShort("MAXIMUM_SCALE")).isEqualTo((short) 6);
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
            "TIMESTAMP",
            "TIMESTAMP WITH TIME ZONE");
    // JDBC: ordered by DATA_TYPE
    assertThat(codes).isSorted();
  }

  @ParameterizedTest
  @EnumSource(ReplayClient.class)
  void connectionCalls(ReplayClient client) throws Exception {
    try (Connection c = client.buyer(GATEWAYS)) {
      assertThat(c.getMetaData()).isNotNull();
      assertThat(c.getSchema()).as("no default schema: names are schema-qualified").isNull();
      assertThat(c.getAutoCommit()).isTrue();
      c.setAutoCommit(true);
      assertThat(c.getAutoCommit()).isTrue();
      assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_NONE);
      // DDL and COPY work; the Flight driver starts read-only whatever the server says
      assertThat(c.isReadOnly()).isEqualTo(client.flight());
      c.setReadOnly(false);
      assertThat(c.isReadOnly()).isFalse();
      assertThat(c.getClientInfo("ApplicationName")).isNull();
      assertThat(c.isValid(5)).isTrue();
      assertThat(c.getHoldability()).isEqualTo(ResultSet.HOLD_CURSORS_OVER_COMMIT);
      assertThat((Object) c.getWarnings()).isNull();
      c.clearWarnings();
      if (client.flight()) {
        // The driver answers these itself: no catalog unless the URL names one (which it would
        // send as a session option), no nativeSQL, and the connection properties (password
        // included) as client info.
        assertThat(c.getCatalog()).isNull();
        assertThatThrownBy(() -> c.nativeSQL("SELECT 1"))
            .isInstanceOf(SQLFeatureNotSupportedException.class);
        assertThat(c.getClientInfo()).containsKeys("user", "password");
      } else {
        assertThat(c.getCatalog()).isEqualTo("nql");
        assertThat(c.nativeSQL("SELECT 1")).isEqualTo("SELECT 1");
        assertThat(c.getClientInfo()).isEmpty();
      }
      // the statement DBeaver runs after connecting still works
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM company_data.purchases")) {
        assertThat(rs.getMetaData().getColumnType(1)).isEqualTo(Types.BIGINT);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isZero();
      }
    }
    Connection closed = client.buyer(GATEWAYS);
    closed.close();
    assertThat(closed.isValid(5)).isFalse();
  }
}
