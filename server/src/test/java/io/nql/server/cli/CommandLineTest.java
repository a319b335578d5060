package io.nql.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The nql command line, run in-process against a real warehouse with the demo marketplace. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandLineTest {
  @TempDir static Path dir;
  static Path warehouse;
  static Run demo;

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = NqlCommand.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(status, out.toString(), err.toString());
  }

  @BeforeAll
  void createDemo() {
    warehouse = dir.resolve("wh");
    demo = run("demo", "--warehouse", warehouse.toString());
  }

  @Test
  void demoPrintsWhatItCreated() {
    assertThat(demo.status()).as(demo.err()).isZero();
    assertThat(demo.out())
        .contains("acme_user", "acme-demo-pw", "globex_user", "buyer_user")
        .contains("company_data.mobile_events", "700,000 rows")
        .contains("company_data.purchases", "250,000 rows")
        .contains("company_data.web_visits", "100,000 rows");
    assertThat(demo.err()).contains("user: admin").contains("password: ");
  }

  @Test
  void demoRefusesAWarehouseThatHasIt() {
    Run again = run("demo", "--warehouse", warehouse.toString());
    assertThat(again.status()).isEqualTo(1);
    assertThat(again.err()).startsWith("ERROR 42710: ").contains("acme");
    assertThat(again.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void showDatasetsAsTable() {
    Run r = run("sql", "--warehouse", warehouse.toString(), "--user", "acme_user", "SHOW DATASETS");
    assertThat(r.status()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("+-");
    assertThat(lines.get(1)).contains("dataset_id", "name", "rows", "partitioned_by");
    assertThat(r.out()).contains("mobile_events", "700000", "event_ts DAY");
    assertThat(r.out()).doesNotContain("purchases");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("(1 row)");
  }

  @Test
  void aggregateAsCsvMatchesTheDemoSize() {
    Run r =
        run(
            "sql",
            "--warehouse",
            warehouse.toString(),
            "--user",
            "globex_user",
            "--format",
            "csv",
            "SELECT COUNT(*) AS n, COUNT(DISTINCT CAST(purchased_at AS DATE)) AS days"
                + " FROM company_data.purchases");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("n,days\r\n250000,30\r\n");
  }

  @Test
  void jsonLinesFormat() {
    Run r =
        run(
            "sql",
            "--warehouse",
            warehouse.toString(),
            "--user",
            "acme_user",
            "--format",
            "json",
            "SELECT sex, COUNT(*) AS n FROM company_data.mobile_events"
                + " WHERE sex IN ('M', 'F') GROUP BY sex ORDER BY sex");
    assertThat(r.status()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches("\\{\"sex\":\"F\",\"n\":[0-9]+}");
    assertThat(lines.get(1)).matches("\\{\"sex\":\"M\",\"n\":[0-9]+}");
  }

  @Test
  void explainPrintsTheForecastAndChargesNothing() {
    String ledger = "SELECT COUNT(*) AS entries FROM company_data._ledger";
    Run before =
        run(
            "sql",
            "--warehouse",
            warehouse.toString(),
            "--user",
            "buyer_user",
            "--format",
            "csv",
            ledger);
    assertThat(before.status()).as(before.err()).isZero();
    String purchase = "SELECT maid, event_ts FROM acme.mobile_events_us LIMIT 0.15 USD";
    Run r =
        run(
            "sql",
            "--warehouse",
            warehouse.toString(),
            "--user",
            "buyer_user",
            "EXPLAIN " + purchase);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("+-");
    assertThat(lines.get(1).split("\\s*\\|\\s*"))
        .containsSubsequence(
            "source",
            "source_type",
            "provider",
            "price_cpm_usd",
            "matching_rows",
            "estimated_rows",
            "rows_low",
            "rows_high",
            "estimated_cost_usd",
            "cost_low_usd",
            "cost_high_usd",
            "budget_cut",
            "freshness",
            "statistics",
            "result_schema",
            "detail");
    // the budget of 0.15 USD buys 100 of the rule's rows at 1.50 USD per 1,000
    assertThat(lines)
        .anyMatch(
            l ->
                l.matches(
                    "\\| acme\\.mobile_events_us +\\| access rule +\\| acme +\\| +1\\.50 \\|"
                        + " +[0-9]+ \\| +100 \\|.*\\| +0\\.150000 \\|.*\\| true +\\|.*"));
    assertThat(lines).anyMatch(l -> l.matches("\\| TOTAL +\\| total +\\|.*\\| +0\\.150000 \\|.*"));
    assertThat(r.out()).contains("maid VARCHAR, event_ts TIMESTAMP");
    assertThat(r.out()).doesNotContain("USA").doesNotContain("mobile_events ");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("(2 rows)");
    // the JSON form, as CSV prints its one column
    Run json =
        run(
            "sql",
            "--warehouse",
            warehouse.toString(),
            "--user",
            "buyer_user",
            "--format",
            "csv",
            "EXPLAIN (FORMAT JSON) " + purchase);
    assertThat(json.status()).as(json.err()).isZero();
    // (CSV doubles the document's quotes)
    assertThat(json.out())
        .startsWith("FORECAST\r\n")
        .contains("\"\"source\"\":\"\"acme.mobile_events_us\"\"")
        .contains("\"\"total\"\":{\"\"source\"\":\"\"TOTAL\"\"");
    // the forecast was never charged
    Run after =
        run(
            "sql",
            "--warehouse",
            warehouse.toString(),
            "--user",
            "buyer_user",
            "--format",
            "csv",
            ledger);
    assertThat(after.out()).isEqualTo(before.out());
  }

  @Test
  void errorsArePrintedWithSqlStateAndExitOne() {
    Run r =
        run(
            "sql",
            "--warehouse",
            warehouse.toString(),
            "--user",
            "acme_user",
            "SELECT * FROM globex.purchases");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err().strip())
        .isEqualTo(
            "ERROR 42P01: Unknown table or insufficient table permissions: globex.purchases");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void ingestLoadsAFileFromTheCompanysArea() throws Exception {
    Path incoming = Files.createDirectories(dir.resolve("incoming"));
    Path csv = Files.createDirectories(incoming.resolve("buyer_co")).resolve("visits.csv");
    Files.writeString(csv, "id,city\n1,Zürich\n2,\"New York, NY\"\n3,\n");
    Run r =
        run(
            "ingest",
            "--warehouse",
            warehouse.toString(),
            "--user",
            "buyer_user",
            "--ingest-root",
            incoming.toString(),
            "--dataset",
            "visits",
            csv.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("Loaded 3 rows into company_data.visits");
    Run relative =
        run(
            "sql",
            "--warehouse",
            warehouse.toString(),
            "--user",
            "buyer_user",
            "--ingest-root",
            incoming.toString(),
            "COPY INTO company_data.visits FROM 'visits.csv'");
    assertThat(relative.status()).as(relative.err()).isZero();
    Run q =
        run(
            "sql",
            "--warehouse",
            warehouse.toString(),
            "--user",
            "buyer_user",
            "--format",
            "csv",
            "SELECT id, city FROM company_data.visits ORDER BY id, city");
    assertThat(q.out())
        .isEqualTo(
            "id,city\r\n1,Zürich\r\n1,Zürich\r\n2,\"New York, NY\"\r\n2,\"New York, NY\"\r\n"
                + "3,\r\n3,\r\n");
  }

  @Test
  void ingestLoadsADirectoryIncrementally() throws Exception {
    Path incoming = Files.createDirectories(dir.resolve("incoming-dir"));
    Path drops = Files.createDirectories(incoming.resolve("buyer_co/drops/2026"));
    Files.writeString(drops.resolve("a.csv"), "id,city\n1,Bern\n2,Basel\n");
    Files.writeString(drops.resolve("b.csv"), "id,city\n3,Chur\n");
    Files.writeString(drops.resolve("notes.txt"), "not data");
    List<String> args =
        List.of(
            "ingest",
            "--warehouse",
            warehouse.toString(),
            "--user",
            "buyer_user",
            "--ingest-root",
            incoming.toString(),
            "--dataset",
            "drops",
            "--pattern",
            "*.csv",
            "--incremental",
            "drops");
    Run first = run(args.toArray(String[]::new));
    assertThat(first.status()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("Loaded 3 rows from 2 files into company_data.drops in ");
    Files.writeString(drops.resolve("c.csv"), "id,city\n4,Genf\n");
    Run second = run(args.toArray(String[]::new));
    assertThat(second.out())
        .startsWith(
            "Loaded 1 row from 1 file into company_data.drops; skipped 2 files loaded before in ");
    Run third = run(args.toArray(String[]::new));
    assertThat(third.status()).isZero();
    assertThat(third.out()).startsWith("Loaded 0 rows into company_data.drops in ");
    assertThat(third.err())
        .contains(
            "WARNING 01N02: No new files to load from 'drops': all 3 files selected were loaded"
                + " before");
    assertThat(ProgressBar.render(5_000_000, 10_000_000, 3, 7))
        .endsWith("  50% 5.0/10.0 MB, 3/7 files");
    assertThat(ProgressBar.render(5_000_000, 10_000_000, 0, 1))
        .isEqualTo(ProgressBar.render(5_000_000, 10_000_000));
  }

  @Test
  void ingestRefusesAFileOutsideTheCompanysArea() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root-only"));
    Path outside = dir.resolve("secret.csv");
    Files.writeString(outside, "a\n1\n");
    Path theirs = Files.createDirectories(root.resolve("buyer_co")).resolve("staged.csv");
    Files.writeString(theirs, "a\n1\n");
    for (String file : List.of(outside.toString(), theirs.toString(), "../buyer_co/staged.csv")) {
      Run r =
          run(
              "ingest",
              "--warehouse",
              warehouse.toString(),
              "--user",
              "acme_user",
              "--ingest-root",
              root.toString(),
              "--dataset",
              "secret",
              file);
      assertThat(r.status()).isEqualTo(1);
      assertThat(r.err().strip())
          .isEqualTo(
              "ERROR 42501: Cannot read '" + file + "': not a file in your company's ingest area");
    }
  }

  @Test
  void anIngestRootHoldingTheWarehouseIsRefused() {
    Run r =
        run(
            "sql",
            "--warehouse",
            warehouse.toString(),
            "--user",
            "acme_user",
            "--ingest-root",
            dir.toString(),
            "SHOW DATASETS");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err().strip())
        .startsWith("ERROR 22023: Cannot use ingest root '")
        .contains("': it contains the warehouse directory '")
        .contains("/" + warehouse.getFileName() + "', which COPY INTO must never read");
  }

  @Test
  void theDefaultIngestRootIsTheCurrentDirectoryUnlessItHoldsTheWarehouse() throws Exception {
    Path cwd = Path.of("").toAbsolutePath();
    WarehouseOptions elsewhere = new WarehouseOptions();
    elsewhere.warehouse = warehouse;
    assertThat(elsewhere.config(true).ingestRoots()).containsExactly(cwd);
    assertThat(elsewhere.config(false).ingestRoots()).isEmpty();
    WarehouseOptions below = new WarehouseOptions();
    below.warehouse = Path.of("target", "wh-below-cwd");
    assertThat(below.config(true).ingestRoots()).isEmpty();
    WarehouseOptions metadataBelow = new WarehouseOptions();
    metadataBelow.warehouse = warehouse;
    metadataBelow.metadataUrl = "jdbc:h2:file:./target/meta/nql";
    assertThat(metadataBelow.config(true).ingestRoots()).isEmpty();
    WarehouseOptions explicit = new WarehouseOptions();
    explicit.warehouse = Path.of("target", "wh-below-cwd");
    explicit.ingestRoots = List.of(dir);
    assertThat(explicit.config(true).ingestRoots()).containsExactly(dir);
  }

  @Test
  void helpListsEveryCommandAndOption() {
    Run top = run("--help");
    assertThat(top.status()).isZero();
    assertThat(top.out()).contains("sql", "demo", "ingest", "help");
    Run sql = run("sql", "--help");
    assertThat(sql.out())
        .contains(
            "--warehouse",
            "--user",
            "--format",
            "table, csv, json",
            "--ingest-root",
            "--metadata-url",
            "--metadata-user",
            "--metadata-password",
            "Exit status");
    Run ingest = run("ingest", "--help");
    assertThat(ingest.out())
        .contains("--dataset", "--format", "--header", "--delimiter", "FILE", "progress bar");
    Run demoHelp = run("demo", "--help");
    assertThat(demoHelp.out()).contains("--warehouse", "acme", "globex", "buyer_co");
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    Run r = run("sql", "SELECT 1");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option");
  }

  @Test
  void theBufferPoolGetsLargeChunksUnlessTheOperatorChoseItsOwn() {
    String before = System.getProperty("io.netty.allocator.maxOrder");
    try {
      System.clearProperty("io.netty.allocator.maxOrder");
      NqlCommand.bufferPoolDefaults();
      assertThat(System.getProperty("io.netty.allocator.maxOrder")).isEqualTo("11");
      System.setProperty("io.netty.allocator.maxOrder", "9");
      NqlCommand.bufferPoolDefaults();
      assertThat(System.getProperty("io.netty.allocator.maxOrder")).isEqualTo("9");
    } finally {
      if (before == null) {
        System.clearProperty("io.netty.allocator.maxOrder");
      } else {
        System.setProperty("io.netty.allocator.maxOrder", before);
      }
    }
  }

  @Test
  void sqlExportsBelowTheExportRoot() throws Exception {
    Path outgoing = Files.createDirectories(dir.resolve("outgoing")).toRealPath();
    Path area = Files.createDirectories(outgoing.resolve("buyer_co"));
    Run r =
        run(
            "sql",
            "--warehouse",
            warehouse.toString(),
            "--user",
            "buyer_user",
            "--export-root",
            outgoing.toString(),
            "--format",
            "csv",
            "EXPORT (SELECT 1 AS x, 'a,b' AS y) TO 'one.csv'");
    assertThat(r.status()).as(r.err()).isZero();
    Path file = area.resolve("one.csv");
    assertThat(Files.readString(file)).isEqualTo("x,y\r\n1,\"a,b\"\r\n");
    assertThat(r.out()).isEqualTo("rows,bytes,path\r\n1," + Files.size(file) + "," + file + "\r\n");
    Run none =
        run(
            "sql",
            "--warehouse",
            warehouse.toString(),
            "--user",
            "buyer_user",
            "EXPORT (SELECT 1 AS x) TO 'two.csv'");
    assertThat(none.status()).isEqualTo(1);
    assertThat(none.err().strip())
        .isEqualTo(
            "ERROR 42501: Cannot write 'two.csv': no export roots are configured (start the"
                + " server with --export-root)");
  }
}
