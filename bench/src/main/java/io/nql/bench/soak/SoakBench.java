package io.nql.bench.soak;

import io.nql.bench.Report;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

/**
 * Entry point of {@code bench/soak}: a gateway in this JVM serving {@code --clients} mixed clients
 * ({@link SoakClient.Kind}) for {@code --duration}; then the checks — no error, heap after GC flat,
 * no Arrow memory left in the gateway, every buyer charged in the ledger exactly what it observed
 * and no ledger entry left open, every load's rows in the loaded dataset. Prints each figure with
 * its goal; exits 1 when a check failed.
 */
public final class SoakBench {
  /** Heap growth (fitted over the run after its first fifth) that still counts as flat. */
  static final long FLAT_HEAP_BYTES = 64L << 20;

  private final PrintStream out;
  private boolean failed;

  private SoakBench(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    SoakOptions o;
    try {
      o = SoakOptions.parse(args);
    } catch (SoakOptions.HelpRequested h) {
      System.out.print(SoakOptions.USAGE);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("bench/soak: " + e.getMessage());
      System.exit(2);
      return;
    }
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    // the gateway's per-connection events and Iceberg's deprecation notes drown the figures
    quiet("io.nql.server.gateway", "warn");
    quiet("org.apache.iceberg.ManifestReader", "error");
    quiet("org.apache.iceberg.util.Tasks", "error"); // concurrent loads retrying their commits
    boolean ok = new SoakBench(System.out).run(o);
    System.exit(ok ? 0 : 1);
  }

  private static void quiet(String logger, String level) {
    String key = "org.slf4j.simpleLogger.log." + logger;
    if (System.getProperty(key) == null) {
      System.setProperty(key, level);
    }
  }

  private boolean run(SoakOptions o) throws Exception {
    out.println("NQL Gateway soak: mixed clients against one gateway, then the checks");
    out.print(Report.machine());
    int views = (o.clients() + 1) / 8;
    out.printf(
        Locale.ROOT,
        "settings: %s, %d clients, %,d rows, heap sampled every %ds, seed %d, maintenance %s%n",
        o.duration(),
        o.clients(),
        o.rows(),
        o.sampleEvery().toSeconds(),
        o.seed(),
        o.maintenanceEvery().isZero() ? "off" : "every " + o.maintenanceEvery());
    try (SoakWorld world =
        SoakWorld.create(o.workDir().toAbsolutePath(), o.rows(), views, o.maintenanceEvery())) {
      long[] spentBefore = new long[SoakWorld.BUYERS.length];
      long[] rowsBefore = new long[SoakWorld.BUYERS.length];
      for (int b = 0; b < spentBefore.length; b++) {
        long[] l = buyerLedger(world, b);
        spentBefore[b] = l[0];
        rowsBefore[b] = l[1];
      }
      long revenueBefore = providerLedger(world)[0];
      SoakTally tally = new SoakTally(SoakWorld.BUYERS.length);
      List<HeapSampler.Sample> heap;
      long t0 = System.nanoTime();
      long deadline = t0 + o.duration().toNanos();
      try (HeapSampler sampler = new HeapSampler(o.sampleEvery().toMillis())) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < o.clients(); i++) {
          Thread t =
              new Thread(new SoakClient(world, tally, i, deadline, o.seed()), "soak-client-" + i);
          t.start();
          threads.add(t);
        }
        for (Thread t : threads) {
          t.join();
        }
        sampler.sample();
        heap = sampler.samples();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      out.println();
      out.printf(Locale.ROOT, "%-44s %14s %12s  %s%n", "figure", "value", "ratio", "goal");
      out.println("-".repeat(100));
      for (SoakClient.Kind k : SoakClient.Kind.values()) {
        long n = tally.count(k);
        figure(k.label() + ": done", fmt(n), String.format(Locale.ROOT, "%.1f/s", n / seconds), "");
        figure(
            k.label() + ": p50 / p99 (ms)",
            String.format(
                Locale.ROOT, "%.1f / %.1f", tally.percentileMs(k, 50), tally.percentileMs(k, 99)),
            "",
            "");
      }
      figure("rows read", fmt(tally.rowsRead.sum()), "", "");
      figure(
          "budget cuts (each with its 01N01 warning)",
          fmt(tally.budgetCuts.sum()),
          "",
          "> 0",
          tally.budgetCuts.sum() > 0);
      figure("errors", fmt(tally.errors()), "", "0", tally.errors() == 0);
      heap(heap);
      arrow(world);
      ledger(world, tally, spentBefore, rowsBefore, revenueBefore);
      loads(world, tally, !o.maintenanceEvery().isZero());
      if (!tally.firstErrors().isEmpty()) {
        out.println();
        out.println("first errors:");
        tally.firstErrors().forEach(e -> out.println("  " + e));
      }
    }
    out.println();
    out.println(failed ? "soak: FAILED (a check above is NOT met)" : "soak: every check met");
    out.flush();
    return !failed;
  }

  private void heap(List<HeapSampler.Sample> samples) {
    long first = samples.get(0).bytes();
    long last = samples.get(samples.size() - 1).bytes();
    long max = samples.stream().mapToLong(HeapSampler.Sample::bytes).max().orElse(0);
    // the first fifth warms up: caches, plans, JIT and pools fill once
    double span = samples.get(samples.size() - 1).seconds();
    List<HeapSampler.Sample> steady =
        samples.stream().filter(s -> s.seconds() >= span / 5).toList();
    double slope = HeapSampler.slopePerMinute(steady.size() >= 2 ? steady : samples);
    double steadyMinutes =
        steady.size() >= 2
            ? (steady.get(steady.size() - 1).seconds() - steady.get(0).seconds()) / 60
            : 0;
    double growth = slope * steadyMinutes;
    figure(
        "heap after GC: first / last / max (MB)",
        String.format(Locale.ROOT, "%d / %d / %d", first >> 20, last >> 20, max >> 20),
        Report.ratio((double) last / first),
        "",
        true);
    figure("heap after GC: samples", fmt(samples.size()), "", "");
    // the curve, about a dozen points: flat, a step then flat, or a steady climb
    StringBuilder curve = new StringBuilder();
    int step = Math.max(1, samples.size() / 12);
    for (int i = 0; i < samples.size(); i += step) {
      HeapSampler.Sample x = samples.get(i);
      curve.append(String.format(Locale.ROOT, " %ds:%d", Math.round(x.seconds()), x.bytes() >> 20));
    }
    out.println("heap after GC over the run (s:MB):" + curve);
    figure(
        "heap after GC: slope after warm-up (MB/min)",
        String.format(Locale.ROOT, "%.2f", slope / (1 << 20)),
        "",
        "");
    figure(
        "heap after GC: fitted growth after warm-up (MB)",
        String.format(Locale.ROOT, "%.1f", growth / (1 << 20)),
        "",
        "<= " + (FLAT_HEAP_BYTES >> 20) + " MB",
        growth <= FLAT_HEAP_BYTES);
  }

  private void arrow(SoakWorld world) throws Exception {
    long flight = world.gateway.flightAllocatedBytes();
    long jdbc = world.gateway.jdbcAllocatedBytes();
    figure("Arrow bytes held, Flight endpoint", fmt(flight), "", "0", flight == 0);
    figure("Arrow bytes held, JDBC endpoint", fmt(jdbc), "", "0", jdbc == 0);
    int open = world.gateway.flightOpenStatements();
    figure("Flight statements left open", fmt(open), "", "0", open == 0);
    // the same as an operator sees it: the gauges on /metrics
    String url = world.gateway.metricsUrl().orElseThrow();
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    double scraped = 0;
    int gauges = 0;
    for (String line : r.body().split("\n")) {
      if (line.startsWith("nql_arrow_allocated")) {
        scraped += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        gauges++;
      }
    }
    figure(
        "Arrow bytes on /metrics (" + gauges + " gauges)",
        String.format(Locale.ROOT, "%.0f", scraped),
        "",
        "0",
        gauges > 0 && scraped == 0);
  }

  private void ledger(
      SoakWorld world, SoakTally tally, long[] spentBefore, long[] rowsBefore, long revenueBefore)
      throws SQLException {
    long spent = 0;
    for (int b = 0; b < SoakWorld.BUYERS.length; b++) {
      long[] l = buyerLedger(world, b);
      long charged = l[0] - spentBefore[b];
      long observed = tally.observedMicros[b].get();
      spent += charged;
      figure(
          SoakWorld.BUYERS[b] + ": ledger / observed (USD)",
          usd(charged) + " / " + usd(observed),
          observed == 0 ? "-" : String.format(Locale.ROOT, "%.6f", (double) charged / observed),
          "equal",
          charged == observed && observed > 0);
      long rows = l[1] - rowsBefore[b];
      long seen = tally.observedPricedRows[b].get();
      figure(
          SoakWorld.BUYERS[b] + ": priced rows, ledger / received",
          fmt(rows) + " / " + fmt(seen),
          "",
          "equal",
          rows == seen);
      figure(SoakWorld.BUYERS[b] + ": ledger entries not final", fmt(l[2]), "", "0", l[2] == 0);
    }
    long[] p = providerLedger(world);
    figure(
        "provider revenue / buyers' spend (USD)",
        usd(p[0] - revenueBefore) + " / " + usd(spent),
        "",
        "equal",
        p[0] - revenueBefore == spent);
    figure("provider: ledger entries not final", fmt(p[1]), "", "0", p[1] == 0);
  }

  private void loads(SoakWorld world, SoakTally tally, boolean maintenance) throws SQLException {
    try (Connection c = world.connect(SoakWorld.PROVIDER_USER);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM company_data.feed")) {
      rs.next();
      long n = rs.getLong(1);
      long loaded = tally.feedRowsLoaded.get();
      figure(
          "loaded dataset: rows / rows loaded",
          fmt(n) + " / " + fmt(loaded),
          "",
          "equal",
          n == loaded && n > 0);
    }
    if (maintenance) {
      // The provider's datasets: what the gateway's scheduled passes changed, and any that failed.
      try (Connection c = world.connect(SoakWorld.PROVIDER_USER);
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT COALESCE(SUM(CASE WHEN outcome = 'ok' THEN 1 ELSE 0 END), 0),"
                      + " COALESCE(SUM(CASE WHEN outcome <> 'ok' THEN 1 ELSE 0 END), 0)"
                      + " FROM company_data._audit WHERE action = 'SCHEDULED MAINTENANCE'")) {
        rs.next();
        long changed = rs.getLong(1);
        long failedPasses = rs.getLong(2);
        figure("maintenance passes that changed a dataset", fmt(changed), "", "> 0", changed > 0);
        figure("maintenance passes that failed", fmt(failedPasses), "", "0", failedPasses == 0);
      }
    }
  }

  /** A buyer's spend and priced rows in micro-USD, and its entries not final. */
  private static long[] buyerLedger(SoakWorld world, int b) throws SQLException {
    return ledgerQuery(
        world,
        SoakWorld.buyerUser(b),
        "SELECT COALESCE(SUM(amount_micros), 0),"
            + " COALESCE(SUM(CASE WHEN rule = 'events_priced' THEN rows_delivered ELSE 0 END), 0),"
            + " COALESCE(SUM(CASE WHEN status <> 'final' THEN 1 ELSE 0 END), 0)"
            + " FROM company_data._ledger WHERE role = 'buyer'");
  }

  /** The provider's revenue in micro-USD and its entries not final. */
  private static long[] providerLedger(SoakWorld world) throws SQLException {
    return ledgerQuery(
        world,
        SoakWorld.PROVIDER_USER,
        "SELECT COALESCE(SUM(amount_micros), 0),"
            + " COALESCE(SUM(CASE WHEN status <> 'final' THEN 1 ELSE 0 END), 0)"
            + " FROM company_data._ledger WHERE role = 'provider'");
  }

  private static long[] ledgerQuery(SoakWorld world, String user, String sql) throws SQLException {
    try (Connection c = world.connect(user);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      long[] out = new long[rs.getMetaData().getColumnCount()];
      for (int i = 0; i < out.length; i++) {
        out[i] = rs.getLong(i + 1);
      }
      return out;
    }
  }

  private void figure(String name, String value, String ratio, String goal) {
    out.printf(Locale.ROOT, "%-44s %14s %12s  %s%n", name, value, ratio, goal);
  }

  private void figure(String name, String value, String ratio, String goal, boolean met) {
    if (!met) {
      failed = true;
    }
    figure(name, value, ratio, goal.isEmpty() ? "" : goal + (met ? " (met)" : " (NOT met)"));
  }

  private static String fmt(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String usd(long micros) {
    return String.format(Locale.ROOT, "%.6f", micros / 1e6);
  }
}
