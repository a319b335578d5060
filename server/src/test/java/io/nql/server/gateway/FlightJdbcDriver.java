package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the official Flight SQL JDBC driver 18.3.0 ({@code org.apache.arrow:flight-sql-jdbc-driver},
 * source: arrow-java {@code flight-sql-jdbc-core}) answers on its own, whatever the server sends:
 * its limitations, not NQL's. The replay asserts each precisely, so a driver upgrade that fixes one
 * shows here. What NQL's server sends for the same calls is checked with Arrow's {@code
 * FlightSqlClient} in {@link FlightMetadataCommandsTest}.
 */
final class FlightJdbcDriver {
  private FlightJdbcDriver() {}

  /**
   * {@code DatabaseMetaData} answers the driver does not take from GetSqlInfo, with the driver's
   * answer where it differs from NQL's.
   */
  static final Map<String, Object> OWN_ANSWERS =
      Map.ofEntries(
          // ArrowDatabaseMetadata does not read SQL_NULL_ORDERING: Avatica's "at end"
          Map.entry("nullsAreSortedHigh", false),
          Map.entry("nullsAreSortedAtEnd", true),
          // nor SQL_IDENTIFIER_CASE: Avatica's upper case
          Map.entry("storesLowerCaseIdentifiers", false),
          Map.entry("storesUpperCaseIdentifiers", true),
          // it answers "intermediate" when the server claims entry level (or intermediate)
          Map.entry("supportsANSI92IntermediateSQL", true),
          // it reads only the index and privilege bits of SQL_CATALOGS_SUPPORTED_ACTIONS
          Map.entry("supportsCatalogsInDataManipulation", true),
          Map.entry("supportsCatalogsInProcedureCalls", true),
          Map.entry("supportsCatalogsInTableDefinitions", true),
          // Avatica's default
          Map.entry("supportsDataManipulationTransactionsOnly", true),
          // Avatica answers the driver's own version, not the server's
          Map.entry("getDatabaseMajorVersion", 18),
          Map.entry("getDatabaseMinorVersion", 3));

  /** The message of the RuntimeException Avatica's unimplemented methods throw. */
  static final String UNIMPLEMENTED = "todo: implement this method";

  /**
   * The shape of the driver's getTables: the six columns Flight SQL's GetTables does not have are
   * added as empty VARBINARY columns, so REMARKS ("access rule", "the ledger (read-only)") is lost.
   */
  static final List<String> TABLES = tablesShape();

  private static List<String> tablesShape() {
    List<String> out = new ArrayList<>();
    for (String c : JdbcShapes.TABLES) {
      out.add(JdbcShapes.TABLES.indexOf(c) < 4 ? c : c.replace(":VARCHAR", ":VARBINARY"));
    }
    return List.copyOf(out);
  }

  /**
   * A result set the driver builds from a Flight SQL stream takes its columns from the first batch
   * that has rows (FlightEndpointDataQueue skips empty batches): without rows it has no columns,
   * although NQL sends the command's full schema in the FlightInfo and the stream.
   */
  static void assertUntypedEmpty(ResultSet rs) throws SQLException {
    assertThat(rs.getMetaData().getColumnCount()).isZero();
    assertThat(rs.next()).isFalse();
  }

  /**
   * The getColumns row the driver shows for the row {@code jdbc:nql} shows: the driver computes
   * sizes from the Arrow type, as NQL sends no Flight SQL column metadata ({@code
   * ARROW:FLIGHT:SQL:PRECISION}…) — utf8 and binary 65536 with no octet length, timestamp(µs) 26
   * with 6 digits, date 0 digits, no size for booleans and floating point — and leaves
   * IS_AUTOINCREMENT and IS_GENERATEDCOLUMN empty ("cannot be determined").
   */
  static List<Object> columnsRow(List<Object> nql) {
    List<Object> row = new ArrayList<>(nql);
    switch ((Integer) row.get(4)) {
      case Types.CHAR, Types.VARCHAR, Types.BINARY, Types.VARBINARY -> {
        row.set(6, 65536);
        row.set(15, null);
      }
      case Types.TIMESTAMP -> {
        row.set(6, 26);
        row.set(8, 6);
      }
      case Types.DATE -> row.set(8, 0);
      case Types.BOOLEAN, Types.REAL, Types.FLOAT, Types.DOUBLE -> row.set(6, null);
      default -> {}
    }
    row.set(22, "");
    row.set(23, "");
    return row;
  }

  /** A list answer of the driver (keywords, functions), which joins the server's list by ", ". */
  static List<String> list(String joined) {
    return List.of(joined.split(", "));
  }
}
