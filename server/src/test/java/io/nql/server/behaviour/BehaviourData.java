package io.nql.server.behaviour;

import io.nql.planner.testing.OwnerQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The suite's source files and oracle: DuckDB writes the owner-query files ({@link OwnerQueries})
 * and {@code typed.parquet} (one column per NQL type, a second row of other values, a row of NULLs)
 * and keeps views over them to answer the same queries.
 */
final class BehaviourData implements AutoCloseable {
  static final String ADMIN_PW = "admin-secret-1";
  static final String ACME_PW = "acme-secret-1";
  static final String GLOBEX_PW = "globex-secret-1";
  static final String INITECH_PW = "initech-secret-1";

  /** The ingest root of the gateway under test. */
  final Path ingestRoot;

  /** acme's ingest area below it, {@code <root>/acme/}, where the loaded files are staged. */
  final Path src;

  final Connection duck;
  final List<String> loads;

  BehaviourData(Path dir) throws Exception {
    ingestRoot = dir.resolve("incoming");
    src = Files.createDirectories(ingestRoot.resolve("acme"));
    duck = DriverManager.getConnection("jdbc:duckdb:");
    List<String> all = new ArrayList<>(OwnerQueries.generate(duck, src));
    Path typed = src.resolve("typed.parquet");
    try (Statement s = duck.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      s.execute(
          "COPY (SELECT * FROM (VALUES"
              + " (1, true, 7, 9000000000::BIGINT, 1.5::REAL, 2.25::DOUBLE,"
              + "  12345678.1234::DECIMAL(12,4), 'Zürich ✓ 東京 😀', DATE '2026-10-01',"
              + "  TIME '08:15:30', TIMESTAMP '2026-10-01 08:15:30.123',"
              + "  TIMESTAMPTZ '2026-10-01 10:15:30.123+02', '\\x01\\xFF'::BLOB),"
              + " (2, false, -3, -1::BIGINT, -0.5::REAL, -1e10::DOUBLE,"
              + "  -0.0001::DECIMAL(12,4), 'plain', DATE '1999-12-31',"
              + "  TIME '23:59:59', TIMESTAMP '1999-12-31 23:59:59',"
              + "  TIMESTAMPTZ '1999-12-31 23:59:59+00', '\\x00'::BLOB),"
              + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"
              + ") t(id, b, i, l, r, d, num, s, dt, tm, ts, tstz, bin)) TO '"
              + typed
              + "' (FORMAT PARQUET)");
    }
    all.add("COPY INTO company_data.typed FROM '" + typed + "'");
    loads = List.copyOf(all);
  }

  /** The provider's statements after the loads: access rules over {@code events}. */
  static List<String> rules() {
    return List.of(
        // free, shared with globex: four columns of the USA rows
        "CREATE ACCESS RULE \"events_usa\" PRICE_CPM_USD = 0 SHARE WITH COMPANIES (globex)"
            + " AS SELECT e.event_id, e.country, e.amount, e.label FROM company_data.events e"
            + " WHERE e.country = 'USA'",
        // 1,000 USD per 1,000 rows (1 USD a row), shared with globex: the GBR rows
        "CREATE ACCESS RULE \"events_gbr\" PRICE_CPM_USD = 1000 SHARE WITH COMPANIES (globex)"
            + " AS SELECT e.event_id, e.amount FROM company_data.events e"
            + " WHERE e.country = 'GBR'");
  }

  /** The admin's statements: companies and users. */
  static List<String> admin() {
    return List.of(
        "CREATE COMPANY acme",
        "CREATE COMPANY globex",
        "CREATE COMPANY initech",
        "CREATE USER \"acme_user\" COMPANY acme PASSWORD '" + ACME_PW + "'",
        "CREATE USER \"globex_user\" COMPANY globex PASSWORD '" + GLOBEX_PW + "'",
        "CREATE USER \"initech_user\" COMPANY initech PASSWORD '" + INITECH_PW + "'");
  }

  /** One number from the oracle. */
  long count(String sql) throws Exception {
    try (Statement s = duck.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws Exception {
    duck.close();
  }
}
