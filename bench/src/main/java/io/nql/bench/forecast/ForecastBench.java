package io.nql.bench.forecast;

import io.nql.bench.LocalNql;
import io.nql.bench.PgCopy;
import io.nql.planner.demo.DemoMarketplace;
import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.server.gateway.Gateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entry point of {@code bench/forecast}: how close {@code EXPLAIN}'s forecasts (rows and cost per
 * source, result rows, intervals) come to what the query then delivers and is charged in the
 * ledger, against PostgreSQL's own row estimate for the same SQL; and how long {@code EXPLAIN}
 * takes on a 30-partition dataset, against PostgreSQL's {@code EXPLAIN}.
 */
public final class ForecastBench {
  static final String PROVIDER = "zipf_co";
  static final String PROVIDER_USER = "zipf_user";
  private static final String PROVIDER_PW = "zipf-provider-secret";
  private static final String ADMIN_PW = "forecast-admin-secret";

  /** The demo's buyer, which every query runs as. */
  static final DemoMarketplace.DemoUser BUYER = DemoMarketplace.USERS.get(2);

  static final String PRICED_RULE = "events_priced";
  static final String FREE_RULE = "events_free";
  static final String SPEED_RULE = "events_30d_priced";
  static final String PRICE_CPM = "2.00";
  static final String PRICED_COLUMNS =
      "id, user_id, brand, state, city, age, income, event_ts, segment, channel, amount, email";
  static final String PRICED_FILTER = "segment <> 'internal'";
  static final String FREE_COLUMNS =
      "id, user_id, brand, state, city, age / 10 * 10 AS age_band, event_ts, segment";
  static final String FREE_FILTER = "event_ts < TIMESTAMP '2026-10-08 00:00:00'";
  static final String PG_SCHEMA = "nql_forecast";

  /** The sources of the accuracy queries. */
  static final ForecastQueries.Sources SOURCES =
      new ForecastQueries.Sources(
          PROVIDER + "." + PRICED_RULE,
          PROVIDER + "." + FREE_RULE,
          "company_data.crm",
          "(SELECT "
              + PRICED_COLUMNS
              + " FROM "
              + PG_SCHEMA
              + ".events WHERE "
              + PRICED_FILTER
              + ")",
          "(SELECT " + FREE_COLUMNS + " FROM " + PG_SCHEMA + ".events WHERE " + FREE_FILTER + ")",
          PG_SCHEMA + ".crm");

  /** The sources of the timed EXPLAIN statements: the priced rule over the speed dataset. */
  static final ForecastQueries.Sources SPEED_SOURCES =
      new ForecastQueries.Sources(
          PROVIDER + "." + SPEED_RULE,
          "-",
          "-",
          "(SELECT "
              + PRICED_COLUMNS
              + " FROM "
              + PG_SCHEMA
              + ".events_30d WHERE "
              + PRICED_FILTER
              + ")",
          "-",
          "-");

  private ForecastBench() {}

  public static void main(String[] args) throws Exception {
    // The gateway's per-connection event lines would drown the report.
    System.setProperty("org.slf4j.simpleLogger.log.io.nql.server.gateway", "warn");
    ForecastOptions o;
    try {
      o = ForecastOptions.parse(args);
    } catch (ForecastOptions.HelpRequested h) {
      System.out.print(ForecastOptions.USAGE);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("bench/forecast: " + e.getMessage());
      System.exit(2);
      return;
    }
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    new ForecastBench.Run(o, new ForecastReport(System.out, o)).run();
  }

  /** What one query's forecast said and what happened when it ran. */
  record Measured(
      ForecastQueries.BenchQuery query,
      String nqlSql,
      String pgSql,
      Forecast forecast,
      String explainError,
      double explainMs,
      Long jsonTotalRows,
      long actualRows,
      boolean actualCut,
      String runError,
      double runSeconds,
      Map<String, long[]> ledger,
      int ledgerEntriesByExplain,
      Long pgEstimate,
      Long pgActual) {

    boolean ok() {
      return forecast != null && runError == null;
    }
  }

  /** Timed EXPLAIN statements of one system. */

  /** One run of the benchmark. */
  static final class Run {
    private final ForecastOptions o;
    private final ForecastReport report;
    private final Path work;
    private final Path ingest;
    private final SkewedData data;
    private final SkewedData speedData;

    Run(ForecastOptions o, ForecastReport report) throws IOException {
      this.o = o;
      this.report = report;
      this.work = Files.createDirectories(o.workDir().toAbsolutePath());
      this.ingest = work.resolve("ingest");
      this.data = new SkewedData(o.rows(), o.seed());
      this.speedData = o.skipSpeed() ? null : new SkewedData(o.speedRows(), o.seed() + 1);
    }

    void run() throws Exception {
      report.header();
      long t0 = System.nanoTime();
      Path events = data.eventsCsv(ingest.resolve(PROVIDER));
      Path crm = data.crmCsv(ingest.resolve(BUYER.company()));
      Path speedEvents = speedData == null ? null : speedData.eventsCsv(ingest.resolve(PROVIDER));
      report.line(
          String.format(
              Locale.ROOT,
              "data: %s (%,d bytes), %s (%,d bytes)%s; %.1f s",
              events,
              Files.size(events),
              crm,
              Files.size(crm),
              speedEvents == null
                  ? ""
                  : String.format(
                      Locale.ROOT, ", %s (%,d bytes)", speedEvents, Files.size(speedEvents)),
              seconds(t0)));
      List<ForecastQueries.BenchQuery> queries = ForecastQueries.all(data, o.seed(), !o.skipDemo());
      Path warehouse = Files.createTempDirectory(work, "nql-warehouse");
      Gateway gateway = null;
      try {
        loadNql(warehouse, events, crm, speedEvents);
        gateway = LocalNql.startGateway(warehouse, o.frameRows(), ADMIN_PW);
        Connection pg = null;
        if (!o.skipPostgres()) {
          pg = loadPostgres(events, crm, speedEvents);
        }
        try (Connection buyer = LocalNql.connect(gateway, BUYER.user(), BUYER.password())) {
          List<Measured> measured = new ArrayList<>();
          Set<String> seen = new HashSet<>();
          newLedgerEntries(buyer, seen);
          report.queriesHeader(queries.size());
          for (ForecastQueries.BenchQuery q : queries) {
            Measured m = measure(buyer, pg, q, seen);
            report.query(m);
            measured.add(m);
          }
          List<ForecastSpeed.Speed> speed = new ArrayList<>();
          if (speedData != null) {
            List<ForecastQueries.BenchQuery> timed =
                ForecastQueries.singleSource(speedData, o.seed() + 2);
            try {
              speed.add(ForecastSpeed.nql(o, report, speedData.rows(), buyer, timed));
            } catch (SQLException e) {
              report.line("NQL: timing EXPLAIN failed: " + oneLine(e.getMessage()));
            }
            if (pg != null) {
              speed.add(ForecastSpeed.postgres(o, report, speedData.rows(), pg, timed));
            }
          }
          report.summary(measured, speed);
        } finally {
          if (pg != null) {
            pg.close();
          }
        }
      } finally {
        if (gateway != null) {
          gateway.close();
        }
        LocalNql.deleteTree(warehouse);
      }
    }

    /**
     * The provider loads the skewed data and publishes its two rules; the buyer loads its CRM; the
     * demo marketplace (unless skipped) is created as {@code nql demo} does; then every dataset is
     * analyzed by its owner.
     */
    private void loadNql(Path warehouse, Path events, Path crm, Path speedEvents) {
      long t0 = System.nanoTime();
      EngineConfig config =
          new EngineConfig(warehouse, null, null, null, List.of(ingest), ADMIN_PW);
      List<DemoMarketplace.DemoDataset> demoDatasets = List.of();
      try (NqlEngine engine = NqlEngine.open(config)) {
        if (o.skipDemo()) {
          try (NqlSession admin = engine.trusted("admin")) {
            LocalNql.run(
                admin,
                "CREATE COMPANY " + BUYER.company(),
                "CREATE USER \""
                    + BUYER.user()
                    + "\" COMPANY "
                    + BUYER.company()
                    + " PASSWORD '"
                    + BUYER.password()
                    + "'");
          }
        } else {
          DemoMarketplace.Report demo = DemoMarketplace.create(engine);
          demoDatasets = demo.datasets();
          report.line(
              String.format(
                  Locale.ROOT,
                  "NQL: demo marketplace created in %.1f s (%s)",
                  demo.seconds(),
                  demo.datasets().stream()
                      .map(d -> d.company() + "." + d.name() + " " + d.rows())
                      .reduce((a, b) -> a + ", " + b)
                      .orElse("")));
        }
        try (NqlSession admin = engine.trusted("admin")) {
          LocalNql.run(
              admin,
              "CREATE COMPANY " + PROVIDER,
              "CREATE USER \""
                  + PROVIDER_USER
                  + "\" COMPANY "
                  + PROVIDER
                  + " PASSWORD '"
                  + PROVIDER_PW
                  + "'");
        }
        try (NqlSession provider = engine.trusted(PROVIDER_USER)) {
          LocalNql.run(
              provider,
              "CREATE DATASET \"events\" (" + SkewedData.COLUMN_TYPES + ")",
              "COPY INTO company_data.events FROM '" + events + "' FORMAT = 'csv' HEADER = TRUE",
              rule(PRICED_RULE, PRICE_CPM, PRICED_COLUMNS, "events", PRICED_FILTER),
              rule(FREE_RULE, "0", FREE_COLUMNS, "events", FREE_FILTER));
        }
        report.line(
            String.format(
                Locale.ROOT,
                "NQL: %s loaded %,d rows into events and published %s (%s USD CPM, WHERE %s) and"
                    + " %s (free, WHERE %s)",
                PROVIDER,
                data.rows(),
                PRICED_RULE,
                PRICE_CPM,
                PRICED_FILTER,
                FREE_RULE,
                FREE_FILTER));
        try (NqlSession buyer = engine.trusted(BUYER.user())) {
          LocalNql.run(
              buyer,
              "CREATE DATASET \"crm\" (" + SkewedData.CRM_COLUMN_TYPES + ")",
              "COPY INTO company_data.crm FROM '" + crm + "' FORMAT = 'csv' HEADER = TRUE");
        }
        if (speedEvents != null) {
          long s0 = System.nanoTime();
          try (NqlSession provider = engine.trusted(PROVIDER_USER)) {
            LocalNql.run(
                provider,
                "CREATE DATASET \"events_30d\" ("
                    + SkewedData.COLUMN_TYPES
                    + ") PARTITIONED_BY event_ts DAY",
                "COPY INTO company_data.events_30d FROM '"
                    + speedEvents
                    + "' FORMAT = 'csv' HEADER = TRUE",
                rule(SPEED_RULE, PRICE_CPM, PRICED_COLUMNS, "events_30d", PRICED_FILTER));
          }
          report.line(
              String.format(
                  Locale.ROOT,
                  "NQL: speed dataset events_30d (%,d rows, PARTITIONED_BY event_ts DAY, %d days)"
                      + " loaded in %.1f s",
                  speedData.rows(),
                  SkewedData.DAYS,
                  seconds(s0)));
        }
        // Statistics are computed on COPY INTO and CREATE ACCESS RULE; ANALYZE again to be sure
        // the rules see the final data (the demo's datasets are written without COPY INTO).
        List<String[]> analyze = new ArrayList<>();
        analyze.add(new String[] {PROVIDER_USER, "events"});
        if (speedEvents != null) {
          analyze.add(new String[] {PROVIDER_USER, "events_30d"});
        }
        analyze.add(new String[] {BUYER.user(), "crm"});
        for (DemoMarketplace.DemoDataset d : demoDatasets) {
          for (DemoMarketplace.DemoUser u : DemoMarketplace.USERS) {
            if (u.company().equals(d.company())) {
              analyze.add(new String[] {u.user(), d.name()});
            }
          }
        }
        List<String> failed = new ArrayList<>();
        for (String[] a : analyze) {
          try (NqlSession s = engine.trusted(a[0])) {
            LocalNql.run(s, "ANALYZE company_data." + a[1]);
          } catch (RuntimeException e) {
            failed.add(a[1] + " (" + oneLine(e.getMessage()) + ")");
          }
        }
        if (!failed.isEmpty()) {
          report.line("NQL: ANALYZE failed for " + String.join("; ", failed));
        }
      }
      report.line(String.format(Locale.ROOT, "NQL: loaded in %.1f s", seconds(t0)));
    }

    private static String rule(
        String name, String price, String columns, String dataset, String filter) {
      return "CREATE ACCESS RULE \""
          + name
          + "\" PRICE_CPM_USD = "
          + price
          + " SHARE WITH COMPANIES ("
          + BUYER.company()
          + ") AS SELECT "
          + columns
          + " FROM company_data."
          + dataset
          + " WHERE "
          + filter;
    }

    /**
     * PostgreSQL gets the same CSV files as plain tables ({@code events_30d} range-partitioned by
     * day, 30 partitions), analyzed with the default statistics target.
     */
    private Connection loadPostgres(Path events, Path crm, Path speedEvents)
        throws SQLException, IOException {
      long t0 = System.nanoTime();
      Connection c;
      try {
        c = DriverManager.getConnection(o.pgUrl(), o.pgUser(), o.pgPassword());
      } catch (SQLException e) {
        throw new SQLException(
            "Cannot reach PostgreSQL at "
                + o.pgUrl()
                + " ("
                + e.getMessage()
                + "): start it with .ci/postgres.sh, or run with --skip-postgres",
            e.getSQLState(),
            e);
      }
      try (Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + PG_SCHEMA);
        s.execute("DROP TABLE IF EXISTS " + PG_SCHEMA + ".events, " + PG_SCHEMA + ".crm");
        s.execute("CREATE TABLE " + PG_SCHEMA + ".events (" + SkewedData.COLUMN_TYPES + ")");
        PgCopy.csv(c, PG_SCHEMA + ".events", SkewedData.COLUMNS, events);
        s.execute("CREATE TABLE " + PG_SCHEMA + ".crm (" + SkewedData.CRM_COLUMN_TYPES + ")");
        PgCopy.csv(c, PG_SCHEMA + ".crm", SkewedData.CRM_COLUMNS, crm);
        s.execute("ANALYZE " + PG_SCHEMA + ".events");
        s.execute("ANALYZE " + PG_SCHEMA + ".crm");
        s.execute("DROP TABLE IF EXISTS " + PG_SCHEMA + ".events_30d");
        if (speedEvents != null) {
          s.execute(
              "CREATE TABLE "
                  + PG_SCHEMA
                  + ".events_30d ("
                  + SkewedData.COLUMN_TYPES
                  + ") PARTITION BY RANGE (event_ts)");
          for (int d = 0; d < SkewedData.DAYS; d++) {
            s.execute(
                String.format(
                    Locale.ROOT,
                    "CREATE TABLE %s.events_30d_%02d PARTITION OF %s.events_30d"
                        + " FOR VALUES FROM ('%s') TO ('%s')",
                    PG_SCHEMA,
                    d,
                    PG_SCHEMA,
                    SkewedData.FIRST_DAY.plusDays(d),
                    SkewedData.FIRST_DAY.plusDays(d + 1)));
          }
          PgCopy.csv(c, PG_SCHEMA + ".events_30d", SkewedData.COLUMNS, speedEvents);
          s.execute("ANALYZE " + PG_SCHEMA + ".events_30d");
        }
        try (ResultSet rs = s.executeQuery("SELECT version()")) {
          rs.next();
          report.line(
              String.format(
                  Locale.ROOT,
                  "PostgreSQL: loaded in %.1f s (%s)",
                  seconds(t0),
                  rs.getString(1).replaceAll(" on .*", "")));
        }
      }
      return c;
    }

    private Measured measure(
        Connection buyer, Connection pg, ForecastQueries.BenchQuery q, Set<String> seen)
        throws SQLException {
      String nqlSql = q.nql(SOURCES);
      String pgSql = pg == null ? null : q.pg(SOURCES);
      Forecast forecast = null;
      String explainError = null;
      long e0 = System.nanoTime();
      try (Statement s = buyer.createStatement();
          ResultSet rs = s.executeQuery("EXPLAIN " + nqlSql)) {
        forecast = Forecast.read(rs);
      } catch (SQLException e) {
        explainError = oneLine(e.getMessage());
      }
      double explainMs = (System.nanoTime() - e0) / 1e6;
      // The JSON form must say the same: compare its total's estimated_rows.
      Long jsonTotal = null;
      try (Statement s = buyer.createStatement();
          ResultSet rs = s.executeQuery("EXPLAIN (FORMAT JSON) " + nqlSql)) {
        if (rs.next()) {
          jsonTotal = jsonTotalRows(rs.getString(1));
        }
      } catch (SQLException e) {
        jsonTotal = null;
      }
      int byExplain = newLedgerEntries(buyer, seen).size();

      long rows = 0;
      boolean cut = false;
      String runError = null;
      long r0 = System.nanoTime();
      try (Statement s = buyer.createStatement()) {
        s.setFetchSize(o.fetchSize());
        try (ResultSet rs = s.executeQuery(nqlSql)) {
          while (rs.next()) {
            rows++;
          }
          cut = mentionsBudget(rs.getWarnings());
        }
        cut |= mentionsBudget(s.getWarnings());
      } catch (SQLException e) {
        runError = oneLine(e.getMessage());
      }
      double runSeconds = seconds(r0);
      Map<String, long[]> ledger = newLedgerEntries(buyer, seen);

      Long pgEstimate = null;
      Long pgActual = null;
      if (pgSql != null) {
        try (Statement s = pg.createStatement()) {
          try (ResultSet rs = s.executeQuery("EXPLAIN (FORMAT JSON) " + pgSql)) {
            rs.next();
            pgEstimate = topPlanRows(rs.getString(1));
          }
          try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM (" + pgSql + ") t")) {
            rs.next();
            pgActual = rs.getLong(1);
          }
        }
      }
      return new Measured(
          q,
          nqlSql,
          pgSql,
          forecast,
          explainError,
          explainMs,
          jsonTotal,
          rows,
          cut,
          runError,
          runSeconds,
          ledger,
          byExplain,
          pgEstimate,
          pgActual);
    }

    private static boolean mentionsBudget(SQLWarning w) {
      for (; w != null; w = w.getNextWarning()) {
        String m = w.getMessage();
        if (m != null && m.toLowerCase(Locale.ROOT).contains("budget")) {
          return true;
        }
      }
      return false;
    }

    /**
     * The buyer's ledger entries of statements not seen before, summed per rule ({@code
     * provider.rule} → {rows, micro-USD}); marks their statements seen.
     */
    private static Map<String, long[]> newLedgerEntries(Connection buyer, Set<String> seen)
        throws SQLException {
      Map<String, long[]> sums = new LinkedHashMap<>();
      Set<String> fresh = new HashSet<>();
      try (Statement s = buyer.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT l.\"statement_id\", l.\"role\", l.\"provider\", l.\"rule\","
                      + " l.\"rows_delivered\", l.\"amount_micros\""
                      + " FROM company_data.\"_ledger\" l")) {
        while (rs.next()) {
          String statement = rs.getString(1);
          if (seen.contains(statement) || !"buyer".equals(rs.getString(2))) {
            continue;
          }
          fresh.add(statement);
          long[] sum =
              sums.computeIfAbsent(rs.getString(3) + "." + rs.getString(4), k -> new long[2]);
          sum[0] += rs.getLong(5);
          sum[1] += rs.getLong(6);
        }
      }
      seen.addAll(fresh);
      return sums;
    }
  }

  private static final Pattern PLAN_ROWS = Pattern.compile("\"Plan Rows\"\\s*:\\s*([0-9.eE+]+)");

  private static final Pattern JSON_TOTAL_ROWS =
      Pattern.compile("\"total\"\\s*:\\s*\\{[^{}]*?\"estimated_rows\"\\s*:\\s*(-?[0-9]+)");

  /**
   * The total's {@code estimated_rows} in {@code EXPLAIN (FORMAT JSON)}'s document, or null when it
   * has none.
   */
  static Long jsonTotalRows(String json) {
    Matcher m = json == null ? null : JSON_TOTAL_ROWS.matcher(json);
    return m != null && m.find() ? Long.valueOf(m.group(1)) : null;
  }

  /** The top plan node's row estimate of PostgreSQL's {@code EXPLAIN (FORMAT JSON)}. */
  static long topPlanRows(String json) {
    Matcher m = PLAN_ROWS.matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no \"Plan Rows\" in PostgreSQL's plan: " + json);
    }
    return Math.round(Double.parseDouble(m.group(1)));
  }

  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    String line = s.strip().lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
