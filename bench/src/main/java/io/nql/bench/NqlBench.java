package io.nql.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Entry point of {@code bench/run}: writes the data, loads both systems, checks that they enforce
 * the same policy and return the same data, then times the full fetch and the point queries.
 */
public final class NqlBench {
  private NqlBench() {}

  public static void main(String[] args) throws Exception {
    // The gateway's per-connection event lines would drown the report.
    System.setProperty("org.slf4j.simpleLogger.log.io.nql.server.gateway", "warn");
    BenchOptions o;
    try {
      o = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    if (o == null) {
      System.out.print(BenchOptions.USAGE);
      return;
    }
    run(o, new Report(System.out));
  }

  static void run(BenchOptions o, Report report) throws Exception {
    long total = o.totalRows();
    long visible = BenchData.visibleRows(total);
    report.header(o, total, visible);
    Path work = Files.createDirectories(o.workDir().toAbsolutePath());
    long t0 = System.nanoTime();
    // The provider's ingest area <root>/<company_slug>/, apart from the warehouse in work/.
    Path csv = BenchData.csv(work.resolve("ingest").resolve(NqlTarget.PROVIDER), total, o.seed());
    report.line(
        String.format("data: %s (%.1f s, %,d bytes)", csv, secondsSince(t0), Files.size(csv)));

    report.line("loading PostgreSQL...");
    PostgresTarget pg = PostgresTarget.load(o, csv);
    report.line("loading NQL and starting the gateway...");
    try (NqlTarget nql = NqlTarget.start(o, work, csv)) {
      nql.checkPolicy(visible);
      pg.checkPolicy(visible);
      report.line("policy check: both hide the same rows and the email column from the buyer");

      FetchResult nqlFetch = timedFetch(nql, o, report);
      FetchResult pgFetch = timedFetch(pg, o, report);
      Checks.equal("NQL full-fetch rows", visible, nqlFetch.rows());
      Checks.equal("PostgreSQL full-fetch rows", visible, pgFetch.rows());
      Checks.equal(
          "NQL full-fetch checksum (PostgreSQL's)", pgFetch.checksum(), nqlFetch.checksum());

      Latencies nqlPoint = timedPoints(nql, o, total, false, report);
      Latencies pgPoint = timedPoints(pg, o, total, false, report);
      Checks.equal("NQL point-query rows (PostgreSQL's)", pgPoint.rows(), nqlPoint.rows());
      Latencies nqlLiteral = null;
      Latencies pgLiteral = null;
      if (o.literalPoints()) {
        nqlLiteral = timedPoints(nql, o, total, true, report);
        pgLiteral = timedPoints(pg, o, total, true, report);
        Checks.equal("NQL literal point-query rows", pgPoint.rows(), nqlLiteral.rows());
        Checks.equal("PostgreSQL literal point-query rows", pgPoint.rows(), pgLiteral.rows());
      }

      Latencies flightPoint = timedFlightPoints(nql, o, total, false, report);
      Checks.equal(
          "NQL Flight SQL point-query rows (PostgreSQL's)", pgPoint.rows(), flightPoint.rows());
      Latencies flightLiteral = null;
      if (o.literalPoints()) {
        flightLiteral = timedFlightPoints(nql, o, total, true, report);
        Checks.equal(
            "NQL Flight SQL literal point-query rows (PostgreSQL's)",
            pgPoint.rows(),
            flightLiteral.rows());
      }
      Interactive.Concurrent nqlMany = concurrent(nql, o, total, report);
      Interactive.Concurrent pgMany = concurrent(pg, o, total, report);
      Interactive.Planning planning;
      try (var buyer = nql.buyerSession()) {
        planning =
            Interactive.planning(
                buyer, nql.pointSql(), Math.min(o.pointQueries(), 500), total, o.seed() + 3);
      }
      report.line(
          String.format(
              "NQL planning: %,d of %,d repeated statements ran a kept plan, %,d of %,d new shapes"
                  + " were planned",
              planning.hitCount(),
              planning.hits().nanos().length,
              planning.missCount(),
              planning.misses().nanos().length));

      report.table(nql, pg, nqlFetch, pgFetch, nqlPoint, pgPoint);
      report.flightPoints("point, Flight SQL", flightPoint, pgPoint);
      report.concurrent(nqlMany, pgMany);
      report.planning(planning);
      if (nqlLiteral != null) {
        report.points("point, literal id", nqlLiteral, pgLiteral);
        report.flightPoints("point, Flight SQL, literal id", flightLiteral, pgLiteral);
      }
      report.footer();
    }
  }

  private static FetchResult timedFetch(Target t, BenchOptions o, Report report) throws Exception {
    for (int i = 0; i < o.warmup(); i++) {
      FetchResult w = Scenarios.fullFetch(t, o.fetchSize());
      report.line(String.format("%s full fetch warm-up %d: %.2f s", t.name(), i + 1, w.seconds()));
    }
    List<FetchResult> runs = new ArrayList<>();
    for (int i = 0; i < o.runs(); i++) {
      FetchResult r = Scenarios.fullFetch(t, o.fetchSize());
      report.line(
          String.format(
              "%s full fetch run %d: %,d rows in %.2f s (%,.0f rows/s)",
              t.name(), i + 1, r.rows(), r.seconds(), r.rowsPerSecond()));
      runs.add(r);
    }
    runs.sort(Comparator.comparingLong(FetchResult::nanos));
    return runs.get(runs.size() / 2);
  }

  /**
   * Point queries per warm-up round. The gateway is a long-running server: its point path reaches
   * steady state once the JIT compiled it, after thousands of executions on two cores (measured on
   * a small table: a prepared point query over {@code jdbc:nql} at 1.2 ms p50 in its first 3,000
   * executions, 0.74 ms in the next 3,000, 0.56 ms after 9,000; over Flight SQL 7.4, 3.8, 1.8 and
   * 1.6 ms), while PostgreSQL's server code is native from the start. 100 queries per round
   * measured the first.
   */
  static final int POINT_WARMUP_QUERIES = 5000;

  private static Latencies timedPoints(
      Target t, BenchOptions o, long total, boolean literal, Report report) throws Exception {
    for (int i = 0; i < o.warmup(); i++) {
      Scenarios.pointQueries(t, POINT_WARMUP_QUERIES, total, o.seed() + 1000 + i, literal);
    }
    Latencies l = Scenarios.pointQueries(t, o.pointQueries(), total, o.seed() + 1, literal);
    report.line(
        String.format(
            "%s point queries (%s): p50 %.3f ms, p99 %.3f ms",
            t.name(),
            literal ? "literal id" : "prepared, ? id",
            l.percentileMs(50),
            l.percentileMs(99)));
    return l;
  }

  private static Latencies timedFlightPoints(
      NqlTarget nql, BenchOptions o, long total, boolean literal, Report report) throws Exception {
    for (int i = 0; i < o.warmup(); i++) {
      Interactive.flightPoints(
          nql.flightPort(),
          NqlTarget.buyerUser(),
          NqlTarget.buyerPassword(),
          nql.pointSql(),
          POINT_WARMUP_QUERIES,
          total,
          o.seed() + 2000 + i,
          literal);
    }
    // The same ids as the JDBC point queries: the same rows come back.
    Latencies l =
        Interactive.flightPoints(
            nql.flightPort(),
            NqlTarget.buyerUser(),
            NqlTarget.buyerPassword(),
            nql.pointSql(),
            o.pointQueries(),
            total,
            o.seed() + 1,
            literal);
    report.line(
        String.format(
            "NQL point queries (Flight SQL, %s): p50 %.3f ms, p99 %.3f ms",
            literal ? "literal id" : "prepared", l.percentileMs(50), l.percentileMs(99)));
    return l;
  }

  private static Interactive.Concurrent concurrent(
      Target t, BenchOptions o, long total, Report report) throws Exception {
    if (o.warmup() > 0) {
      Interactive.concurrentPoints(t, o.clients(), 5, total, o.seed() + 4000);
    }
    Interactive.Concurrent c =
        Interactive.concurrentPoints(t, o.clients(), o.queriesPerClient(), total, o.seed() + 5);
    report.line(
        String.format(
            "%s point queries, %d clients at once: %,.0f queries/s, p50 %.3f ms, p99 %.3f ms",
            t.name(),
            c.clients(),
            c.queriesPerSecond(),
            c.latencies().percentileMs(50),
            c.latencies().percentileMs(99)));
    return c;
  }

  private static double secondsSince(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
