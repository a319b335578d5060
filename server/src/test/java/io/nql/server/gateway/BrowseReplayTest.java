package io.nql.server.gateway;

import static io.nql.server.gateway.JdbcShapes.assertEmpty;
import static io.nql.server.gateway.JdbcShapes.assertShape;
import static io.nql.server.gateway.JdbcShapes.rows;
import static io.nql.server.gateway.JdbcShapes.tableNames;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a tool's database navigator asks while browsing, over each driver: tables and columns list
 * exactly what the caller may query, each listed table can be queried, and its columns are what a
 * query returns.
 *
 * <p>The buyer is {@code globex_user}: it owns {@code purchases} and reads acme's rule {@code
 * orders_public}; acme's datasets are invisible to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowseReplayTest {
  @RegisterExtension static final ReplayClient.Gateways GATEWAYS = new ReplayClient.Gateways();

  private static List<String> tablesShape(ReplayClient client) {
    return client.flight() ? FlightJdbcDriver.TABLES : JdbcShapes.TABLES;
  }

  /** A getTables row: catalog nql, the remarks NQL gives (the Flight driver drops them). */
  /** The remarks of information_schema's tables. */
  private static final String INFO_REMARKS = "SQL-standard metadata (read-only)";

  private static final String ROSETTA_REMARKS =
      "Rosetta Stone: standardized attributes over every source you may read";

  private static List<Object> table(
      ReplayClient client, String schema, String name, String type, String remarks) {
    return Arrays.asList(
        "nql", schema, name, type, client.flight() ? null : remarks, null, null, null, null, null);
  }

  /** A getColumns row of a nullable column of {@code company_data.purchases}. */
  private static List<Object> purchasesColumn(
      ReplayClient client, String name, int type, int size, int digits, int ordinal) {
    List<Object> row =
        Arrays.asList(
            "nql",
            "company_data",
            "purchases",
            name,
            type,
            type == Types.BIGINT ? "BIGINT" : "DECIMAL",
            size,
            null,
            digits,
            10,
            DatabaseMetaData.columnNullable,
            null,
            null,
            null,
            null,
            null,
            ordinal,
            "YES",
            null,
            null,
            null,
            null,
            "NO",
            "NO");
    return client.flight() ? FlightJdbcDriver.columnsRow(row) : row;
  }

  @ParameterizedTest
  @EnumSource(ReplayClient.class)
  void browseTablesAndColumns(ReplayClient client) throws Exception {
    try (Connection c = client.buyer(GATEWAYS)) {
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getTables(null, null, "%", null)) {
        assertShape(rs, tablesShape(client));
        // JDBC order: TABLE_TYPE, TABLE_CAT, TABLE_SCHEM, TABLE_NAME
        assertThat(rows(rs))
            .containsExactly(
                table(
                    client, "company_data", "_audit", "SYSTEM TABLE", "the audit log (read-only)"),
                table(client, "company_data", "_ledger", "SYSTEM TABLE", "the ledger (read-only)"),
                table(client, "information_schema", "columns", "SYSTEM TABLE", INFO_REMARKS),
                table(
                    client, "information_schema", "key_column_usage", "SYSTEM TABLE", INFO_REMARKS),
                table(client, "information_schema", "schemata", "SYSTEM TABLE", INFO_REMARKS),
                table(
                    client,
                    "information_schema",
                    "table_constraints",
                    "SYSTEM TABLE",
                    INFO_REMARKS),
                table(client, "information_schema", "tables", "SYSTEM TABLE", INFO_REMARKS),
                table(client, "information_schema", "views", "SYSTEM TABLE", INFO_REMARKS),
                table(client, "company_data", "purchases", "TABLE", null),
                table(client, "acme", "orders_public", "VIEW", "access rule"),
                table(client, "acme", "rosetta_stone", "VIEW", ROSETTA_REMARKS),
                table(client, "company_data", "rosetta_stone", "VIEW", ROSETTA_REMARKS),
                table(client, "narrative", "rosetta_stone", "VIEW", ROSETTA_REMARKS));
      }
      try (ResultSet rs = md.getTables("nql", "%", "%", new String[] {"TABLE", "VIEW"})) {
        assertShape(rs, tablesShape(client));
        assertThat(tableNames(rs))
            .containsExactly(
                "company_data.purchases",
                "acme.orders_public",
                "acme.rosetta_stone",
                "company_data.rosetta_stone",
                "narrative.rosetta_stone");
      }
      assertEmpty(
          client, md.getTables(null, "acme", null, new String[] {"TABLE"}), JdbcShapes.TABLES);
      assertEmpty(client, md.getTables(null, "globex", "%", null), JdbcShapes.TABLES);
      assertThat(tableNames(md.getTables(null, "narrative", "%", null)))
          .containsExactly("narrative.rosetta_stone");
      // acme's own datasets stay invisible
      assertEmpty(client, md.getTables(null, null, "orders", null), JdbcShapes.TABLES);

      try (ResultSet rs = md.getColumns(null, "company_data", "purchases", null)) {
        assertShape(rs, JdbcShapes.COLUMNS);
        assertThat(rows(rs))
            .containsExactly(
                purchasesColumn(client, "id", Types.BIGINT, 19, 0, 1),
                purchasesColumn(client, "amount", Types.DECIMAL, 12, 2, 2));
      }
      try (ResultSet rs = md.getColumns(null, "acme", "orders\\_public", "%")) {
        assertShape(rs, JdbcShapes.COLUMNS);
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
        int unbounded = client.flight() ? 65536 : Integer.MAX_VALUE;
        assertThat(cols)
            .containsExactly(
                "1 order_id " + Types.BIGINT + " BIGINT 19 0 1 YES",
                "2 city " + Types.VARCHAR + " VARCHAR " + unbounded + " null 1 YES",
                "3 _price_cpm_usd " + Types.DECIMAL + " DECIMAL 12 2 0 NO",
                "4 _source_company_id " + Types.BIGINT + " BIGINT 19 0 0 NO",
                "5 _access_rule_id " + Types.BIGINT + " BIGINT 19 0 0 NO");
      }
      try (ResultSet rs = md.getColumns(null, "company_data", "_ledger", null)) {
        assertShape(rs, JdbcShapes.COLUMNS);
        assertThat(rows(rs)).isNotEmpty();
      }
      assertEmpty(client, md.getColumns(null, null, "orders", null), JdbcShapes.COLUMNS);

      // Every listed table can be queried, and its columns are what a query returns.
      assertColumnsMatchQueries(client, c);
    }
  }

  /** For each table getTables lists, getColumns agrees with the prepared SELECT * signature. */
  private static void assertColumnsMatchQueries(ReplayClient client, Connection c)
      throws SQLException {
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
          assertThat(cols.getString("IS_NULLABLE"))
              .as(where)
              .isEqualTo(cols.getInt("NULLABLE") == DatabaseMetaData.columnNullable ? "YES" : "NO");
          if (client.flight()) {
            // The driver's ResultSetMetaData says columnNoNulls for every column, and takes
            // precision and scale only from Flight SQL column metadata, which NQL does not send
            // (its Arrow types carry them, and getColumns reads them there).
            assertThat(q.isNullable(i)).as(where).isEqualTo(ResultSetMetaData.columnNoNulls);
            assertThat(q.getPrecision(i)).as(where).isZero();
            assertThat(q.getScale(i)).as(where).isZero();
            continue;
          }
          assertThat(typeNames).as(where).contains(cols.getString("TYPE_NAME"));
          assertThat(cols.getInt("NULLABLE")).as(where).isEqualTo(q.isNullable(i));
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
  @EnumSource(ReplayClient.class)
  void providerSeesItsOwnAndNothingOfTheBuyers(ReplayClient client) throws Exception {
    try (Connection c = client.provider(GATEWAYS)) {
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getSchemas()) {
        assertThat(rows(rs))
            .as("no rule is shared with acme: its own namespace, information_schema and narrative")
            .containsExactly(
                List.of("company_data", "nql"),
                List.of("information_schema", "nql"),
                List.of("narrative", "nql"));
      }
      assertThat(tableNames(md.getTables(null, null, null, null)))
          .containsExactly(
              "company_data._audit",
              "company_data._ledger",
              "information_schema.columns",
              "information_schema.key_column_usage",
              "information_schema.schemata",
              "information_schema.table_constraints",
              "information_schema.tables",
              "information_schema.views",
              "company_data.numbers",
              "company_data.orders",
              "company_data.orders_public",
              "company_data.rosetta_stone",
              "narrative.rosetta_stone");
      assertThat(tableNames(md.getTables(null, null, null, new String[] {"VIEW"})))
          .containsExactly(
              "company_data.orders_public",
              "company_data.rosetta_stone",
              "narrative.rosetta_stone");
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
        if (client.flight()) {
          // FlightJdbcDriver.columnsRow: sizes of the Arrow types
          assertThat(cols.subList(2, 6))
              .containsExactly(
                  "city VARCHAR 65536 null null null",
                  "ordered_on DATE 10 0 null null",
                  "ordered_at TIMESTAMP 26 6 null null",
                  "paid BOOLEAN null null null null");
        } else {
          assertThat(cols.subList(2, 6))
              .containsExactly(
                  "city VARCHAR " + Integer.MAX_VALUE + " null null " + Integer.MAX_VALUE,
                  "ordered_on DATE 10 null null null",
                  // yyyy-mm-dd hh:mm:ss.ffffff: datasets store microseconds
                  "ordered_at TIMESTAMP 26 6 null null",
                  "paid BOOLEAN 1 null null null");
        }
      }
      assertEmpty(
          client, md.getColumns(null, "company_data", "purchases", null), JdbcShapes.COLUMNS);
      assertColumnsMatchQueries(client, c);

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
}
