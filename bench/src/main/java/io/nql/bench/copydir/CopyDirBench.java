package io.nql.bench.copydir;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.ingest.CopyLoader;
import io.nql.planner.ingest.CopyOptions;
import io.nql.planner.ingest.CopyPlan;
import io.nql.planner.ingest.CopySource;
import io.nql.planner.ingest.IngestRoots;
import io.nql.planner.ingest.LoadResult;
import io.nql.planner.result.ProgressListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.types.Types;

/**
 * Entry point of {@code bench/copydir}: writes a directory of CSV files, loads it into fresh
 * Iceberg tables through {@link CopyLoader} with each thread count asked for (1 = the sequential
 * load), then through the gateway's engine as {@code COPY INTO … INCREMENTAL = TRUE} twice (the
 * second run finds nothing new: the cost of listing the directory and reading the record of loaded
 * files). Checks every load's row count and prints elapsed time, rows/s and MB/s.
 */
public final class CopyDirBench {
  static final String USAGE =
      """
      Usage: bench/copydir [options]
        --files N        CSV files in the directory (default 200)
        --rows N         rows per file (default 20000)
        --threads LIST   thread counts to time, comma-separated (default 1,<cores>)
        --runs N         timed loads per thread count, the fastest reported (default 2)
        --work-dir DIR   files and warehouses (default bench/target/copydir; deleted at the end)
        --help
      """;

  private CopyDirBench() {}

  public static void main(String[] args) throws Exception {
    int files = 200;
    int rows = 20_000;
    int runs = 2;
    int cores = Runtime.getRuntime().availableProcessors();
    List<Integer> threads = new ArrayList<>(List.of(1, cores));
    Path work = Path.of("bench/target/copydir");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help")) {
        System.out.print(USAGE);
        return;
      }
      if (i + 1 >= args.length) {
        fail("option " + a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--files" -> files = positive(a, v);
        case "--rows" -> rows = positive(a, v);
        case "--runs" -> runs = positive(a, v);
        case "--work-dir" -> work = Path.of(v);
        case "--threads" -> {
          threads = new ArrayList<>();
          for (String t : v.split(",")) {
            threads.add(positive(a, t.trim()));
          }
        }
        default -> fail("unknown option " + a);
      }
    }
    work = work.toAbsolutePath();
    delete(work);
    Path root = Files.createDirectories(work.resolve("ingest"));
    Path dir = Files.createDirectories(root.resolve("acme/drops"));
    long bytes = 0;
    for (int f = 0; f < files; f++) {
      bytes +=
          write(
              dir.resolve(String.format(Locale.ROOT, "d%02d/part-%05d.csv", f % 16, f)),
              (long) f * rows,
              rows);
    }
    long total = (long) files * rows;
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, %s, max heap %d MB%n",
        cores,
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf(
        Locale.ROOT, "data: %d files, %d rows, %.1f MB of CSV%n%n", files, total, bytes / 1e6);
    System.out.println("threads  best s   rows/s      MB/s   data files");
    IngestRoots roots = IngestRoots.of(root);
    CopySource source = CopySource.resolve(roots, "acme", "drops", null);
    double sequential = 0;
    // One untimed load first: the JVM loads and compiles the readers and writers.
    load(work.resolve("tables/warmup"), source, threads.get(threads.size() - 1), total);
    for (int t : threads) {
      double best = Double.MAX_VALUE;
      int dataFiles = 0;
      for (int r = 0; r < runs; r++) {
        long start = System.nanoTime();
        LoadResult result = load(work.resolve("tables/t" + t + "_" + r), source, t, total);
        double s = (System.nanoTime() - start) / 1e9;
        best = Math.min(best, s);
        dataFiles = result.dataFiles();
      }
      if (t == 1) {
        sequential = best;
      }
      System.out.printf(
          Locale.ROOT,
          "%7d  %6.2f  %9.0f  %8.1f  %d%s%n",
          t,
          best,
          total / best,
          bytes / 1e6 / best,
          dataFiles,
          sequential > 0 && t > 1
              ? String.format(Locale.ROOT, "   (%.2fx)", sequential / best)
              : "");
    }
    engine(work, root, files, rows);
    delete(work);
  }

  /** COPY INTO through the engine (threads: one per core), INCREMENTAL twice. */
  private static void engine(Path work, Path root, int files, int rows) throws Exception {
    long total = (long) files * rows;
    System.out.println();
    try (NqlEngine engine =
        NqlEngine.open(
            new EngineConfig(work.resolve("wh"), null, null, null, List.of(root), "pw"))) {
      try (NqlSession admin = engine.trusted("admin")) {
        admin.execute("CREATE COMPANY acme").close();
        admin.execute("CREATE USER \"acme_user\" COMPANY acme PASSWORD 'pw'").close();
      }
      try (NqlSession acme = engine.trusted("acme_user")) {
        acme.execute(
                "CREATE DATASET \"drops\" (id BIGINT, name VARCHAR, amount DECIMAL(8,2),"
                    + " day DATE)")
            .close();
        String copy = "COPY INTO company_data.drops FROM 'drops' INCREMENTAL = TRUE";
        time(acme, copy, "first run (every file)", total);
        time(acme, copy, "again (nothing new)", 0);
        // a tenth more files: the steady state of a scheduled load
        Path dir = root.resolve("acme/drops/later");
        int more = Math.max(1, files / 10);
        for (int f = 0; f < more; f++) {
          write(dir.resolve("part-" + f + ".csv"), 1_000_000_000L + (long) f * rows, rows);
        }
        time(acme, copy, "with " + more + " new files", (long) more * rows);
      }
    }
  }

  /** Loads the files into a new table at {@code location} on {@code threads} threads. */
  private static LoadResult load(Path location, CopySource source, int threads, long rows) {
    Table table =
        new HadoopTables(new Configuration())
            .create(schema(), PartitionSpec.unpartitioned(), location.toUri().toString());
    LoadResult result =
        CopyLoader.load(
            table,
            "drops",
            CopyPlan.of(table, source, false),
            CopyOptions.defaults(),
            threads,
            0,
            ProgressListener.NONE);
    if (result.rowsLoaded() != rows) {
      fail("loaded " + result.rowsLoaded() + " rows, expected " + rows);
    }
    return result;
  }

  private static void time(NqlSession session, String sql, String what, long rows) {
    long start = System.nanoTime();
    long n;
    try (StatementResult r = session.execute(sql)) {
      n = r.updateCount();
    }
    double s = (System.nanoTime() - start) / 1e9;
    if (n != rows) {
      fail("COPY INTO (" + what + ") loaded " + n + " rows, expected " + rows);
    }
    System.out.printf(
        Locale.ROOT, "engine COPY INTO ... INCREMENTAL, %s: %.2f s, %d rows%n", what, s, n);
  }

  private static Schema schema() {
    return new Schema(
        Types.NestedField.optional(1, "id", Types.LongType.get()),
        Types.NestedField.optional(2, "name", Types.StringType.get()),
        Types.NestedField.optional(3, "amount", Types.DecimalType.of(8, 2)),
        Types.NestedField.optional(4, "day", Types.DateType.get()));
  }

  private static long write(Path file, long first, int rows) throws IOException {
    Files.createDirectories(file.getParent());
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write("id,name,amount,day\n");
      for (long i = first; i < first + rows; i++) {
        w.write(
            i
                + ",customer "
                + i
                + ","
                + (i % 10_000)
                + "."
                + (i % 100)
                + ",2026-"
                + String.format(Locale.ROOT, "%02d-%02d", 1 + i % 12, 1 + i % 28)
                + "\n");
      }
    }
    return Files.size(file);
  }

  private static int positive(String option, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    fail(option + " needs a positive number, not '" + value + "'");
    return 0;
  }

  private static void fail(String message) {
    System.err.println("bench/copydir: " + message);
    System.exit(2);
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
