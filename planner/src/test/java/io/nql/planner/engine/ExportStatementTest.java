package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.NqlException;
import io.nql.planner.store.LedgerEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What EXPORT reads and what it costs: only the caller's own datasets by name (materialized views
 * included, without a new charge), an access rule only through a query that is metered and charged
 * as any SELECT, and every failure — a query that fails midway, a budget that stops it, a cancel —
 * leaves no file and no temporary file behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportStatementTest {
  @TempDir static Path dir;

  private ExportMarketplace market;
  private NqlSession acme;
  private NqlSession beta;
  private Path acmeArea;
  private Path betaArea;

  @BeforeAll
  void setUp() throws Exception {
    market = ExportMarketplace.open(dir);
    acme = market.engine.trusted("acme_user");
    beta = market.engine.trusted("beta_user");
    acmeArea = market.export.resolve("acme");
    betaArea = market.export.resolve("beta");
  }

  @AfterAll
  void tearDown() {
    beta.close();
    acme.close();
    market.engine.close();
  }

  @Test
  void onlyTheCallersOwnDatasetsAreDatasets() throws Exception {
    long peopleId =
        market.engine.warehouse().dataset(market.companyId("acme"), "people").get().id();
    // acme's dataset by name, by id, in acme's schema, and a name nobody uses: one answer each
    for (String table :
        List.of(
            "company_data.people",
            "company_data.\"" + peopleId + "\"",
            "acme.people",
            "company_data.nothing",
            "acme.nothing")) {
      NqlException e = exportFails(beta, "EXPORT " + table + " TO 'x.csv'");
      assertThat(e.sqlState()).as(table).isEqualTo("42P01");
      assertThat(e.getMessage())
          .isEqualTo("Unknown table or insufficient table permissions: " + table);
    }
    NqlException rule = exportFails(beta, "EXPORT acme.people_eu TO 'x.csv'");
    assertThat(rule.sqlState()).isEqualTo("42809");
    assertThat(rule.getMessage())
        .isEqualTo(
            "Cannot export acme.people_eu: it is not a dataset; export a query of it instead:"
                + " EXPORT (SELECT * FROM acme.people_eu) TO '…'");
    assertThat(ExportScopeTest.hidden(betaArea)).isEmpty();
    try (Stream<Path> files = Files.list(betaArea)) {
      assertThat(files.filter(p -> p.getFileName().toString().equals("x.csv"))).isEmpty();
    }
    // the owner exports its dataset by name; its own rule is no dataset either
    List<Object> answer = ExportRoundTripTest.single(acme, "EXPORT company_data.people TO 'p.csv'");
    assertThat(answer.get(0)).isEqualTo(40L);
    assertThat(exportFails(acme, "EXPORT company_data.people_eu TO 'x.csv'").sqlState())
        .isEqualTo("42809");
  }

  /** The rows of a rule are bought by the query of an EXPORT exactly as by the same SELECT. */
  @Test
  void aRuleIsExportedThroughAQueryChargedAsTheSameSelect() throws Exception {
    beta.setProperty("budget_usd", "1000");
    long betaId = market.companyId("beta");
    String query = "SELECT id, region FROM acme.people_eu";
    List<List<Object>> selected = ExportRoundTripTest.rawRows(beta, query);
    LedgerEntry bySelect = market.engine.store().ledger().entriesOf(betaId).get(0);
    List<Object> answer = ExportRoundTripTest.single(beta, "EXPORT (" + query + ") TO 'eu.csv'");
    LedgerEntry byExport = market.engine.store().ledger().entriesOf(betaId).get(0);
    assertThat(byExport.statementId()).isNotEqualTo(bySelect.statementId());
    assertThat(byExport.rows()).isEqualTo(bySelect.rows()).isEqualTo(30);
    assertThat(byExport.amountMicros()).isEqualTo(bySelect.amountMicros()).isEqualTo(30_000_000L);
    assertThat(answer.get(0)).isEqualTo(30L);
    List<String> exported = new ArrayList<>();
    for (CSVRecord r : parse(betaArea.resolve("eu.csv"))) {
      exported.add(r.get("id") + " " + r.get("region"));
    }
    List<String> expected = selected.stream().map(r -> r.get(0) + " " + r.get(1)).toList();
    assertThat(exported).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(exported).noneMatch(s -> s.endsWith("internal"));
  }

  @Test
  void aBudgetThatStopsTheQueryWritesNothing() throws Exception {
    beta.setProperty("budget_usd", "5");
    try {
      NqlException e =
          exportFails(beta, "EXPORT (SELECT id, region FROM acme.people_eu) TO 'cut.csv'");
      assertThat(e.sqlState()).isEqualTo("55000");
      assertThat(e.getMessage())
          .startsWith("Cannot export the query: the budget stopped it after ")
          .endsWith("; nothing was written (raise budget_usd)");
    } finally {
      beta.setProperty("budget_usd", "1000");
    }
    assertThat(betaArea.resolve("cut.csv")).doesNotExist();
    assertThat(ExportScopeTest.hidden(betaArea)).isEmpty();
  }

  /** The query of an EXPORT has its Rosetta Stone columns expanded, as a SELECT has. */
  @Test
  void aQueryExportReadsRosettaStoneColumns() throws Exception {
    acme.execute(
            "CREATE MAPPING ON company_data.people ATTRIBUTE hl7_gender AS CASE WHEN MOD(id, 2) = 0"
                + " THEN 'female' ELSE 'male' END")
        .close();
    String query = "SELECT p.id, p._rosetta_stone.hl7_gender AS g FROM company_data.people p";
    assertThat(ExportRoundTripTest.single(acme, "EXPORT (" + query + ") TO 'rosetta.csv'").get(0))
        .isEqualTo(40L);
    List<String> exported = new ArrayList<>();
    for (CSVRecord r : parse(acmeArea.resolve("rosetta.csv"))) {
      exported.add(r.get("id") + " " + r.get("g"));
    }
    assertThat(exported)
        .containsExactlyInAnyOrderElementsOf(
            ExportRoundTripTest.rawRows(acme, query).stream()
                .map(r -> r.get(0) + " " + r.get(1))
                .toList())
        .contains("2 female", "3 male");
  }

  /** A materialized view is the buyer's dataset: exported by name, it is not bought again. */
  @Test
  void aMaterializedViewIsExportedByNameWithoutANewCharge() throws Exception {
    beta.setProperty("budget_usd", "1000");
    beta.execute(
            "CREATE MATERIALIZED VIEW \"eu_people\" AS SELECT id, region FROM acme.people_eu"
                + " LIMIT 100 USD")
        .close();
    long betaId = market.companyId("beta");
    int entries = market.engine.store().ledger().entriesOf(betaId).size();
    List<Object> answer =
        ExportRoundTripTest.single(beta, "EXPORT company_data.eu_people TO 'view.parquet'");
    assertThat(answer.get(0)).isEqualTo(30L);
    assertThat(market.engine.store().ledger().entriesOf(betaId)).hasSize(entries);
  }

  /**
   * A query that fails after many rows were written: the temporary file that held them (seen while
   * the export ran) is gone, and there is no file at the target.
   */
  @Test
  void aQueryThatFailsMidwayLeavesNoFile() throws Exception {
    AtomicReference<List<Path>> during = new AtomicReference<>();
    acme.setProgressListener((done, total) -> during.compareAndSet(null, hiddenQuietly(acmeArea)));
    try {
      NqlException e =
          exportFails(
              acme,
              "EXPORT (SELECT n, s, 1 / (n - "
                  + (ExportMarketplace.NUMBERS - 10)
                  + ") AS x FROM company_data.numbers) TO 'fails.csv'");
      assertThat(e.sqlState()).isEqualTo("22012");
    } finally {
      acme.setProgressListener(null);
    }
    assertThat(during.get()).as("a temporary file while the rows were written").hasSize(1);
    assertThat(during.get().get(0)).doesNotExist();
    assertThat(acmeArea.resolve("fails.csv")).doesNotExist();
    assertThat(ExportScopeTest.hidden(acmeArea)).isEmpty();
  }

  /** A cancel during the export (here from its progress, after its first rows): 57014, no file. */
  @Test
  void aCancelMidExportLeavesNoFile() throws Exception {
    AtomicReference<List<Path>> during = new AtomicReference<>();
    AtomicReference<Long> rowsAtCancel = new AtomicReference<>();
    acme.setProgressListener(
        (done, total) -> {
          if (during.compareAndSet(null, hiddenQuietly(acmeArea))) {
            rowsAtCancel.set(done);
            assertThat(total).isEqualTo(ExportMarketplace.NUMBERS);
            acme.cancel();
          }
        });
    try {
      NqlException e = exportFails(acme, "EXPORT company_data.numbers TO 'cancelled.parquet'");
      assertThat(e.sqlState()).isEqualTo("57014");
    } finally {
      acme.setProgressListener(null);
    }
    assertThat(rowsAtCancel.get()).isLessThan(ExportMarketplace.NUMBERS);
    assertThat(during.get()).hasSize(1);
    assertThat(during.get().get(0)).doesNotExist();
    assertThat(acmeArea.resolve("cancelled.parquet")).doesNotExist();
    assertThat(ExportScopeTest.hidden(acmeArea)).isEmpty();
    // the session goes on
    assertThat(ExportRoundTripTest.single(acme, "EXPORT company_data.numbers TO 'all.csv'"))
        .first()
        .isEqualTo((long) ExportMarketplace.NUMBERS);
    assertThat(Files.lines(acmeArea.resolve("all.csv")).count())
        .isEqualTo(ExportMarketplace.NUMBERS + 1L);
  }

  @Test
  void formatsAndOptionsThatDoNotFitAreRefusedBeforeAnythingIsWritten() throws Exception {
    assertThat(exportFails(acme, "EXPORT company_data.people TO 'p.txt'").getMessage())
        .isEqualTo(
            "Cannot infer the format of 'p.txt': name the format with FORMAT = 'csv'|'parquet'");
    assertThat(
            exportFails(acme, "EXPORT company_data.people TO 'p.json' FORMAT = 'json'").sqlState())
        .isEqualTo("22023");
    assertThat(
            exportFails(acme, "EXPORT company_data.people TO 'p.parquet' HEADER = TRUE")
                .getMessage())
        .isEqualTo("Cannot export to 'p.parquet': HEADER applies to CSV files only");
    NqlException s3 = exportFails(acme, "EXPORT company_data.people TO 's3://bucket/p.csv'");
    assertThat(s3.sqlState()).isEqualTo("0A000");
    assertThat(s3.getMessage())
        .isEqualTo(
            "Cannot write 's3://bucket/p.csv': only local files and file: URIs are supported");
    assertThat(
            exportFails(
                    acme,
                    "EXPORT company_data.people TO 'a.csv' OVERWRITE = TRUE OVERWRITE = FALSE")
                .sqlState())
        .isEqualTo("42601");
    try (Stream<Path> files = Files.list(acmeArea)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .doesNotContain("p.txt", "p.json", "p.parquet", "a.csv");
    }
    NqlException twice = exportFails(acme, "EXPORT (SELECT 1 AS id, 2 AS id) TO 'dup.csv'");
    assertThat(twice.sqlState()).isEqualTo("42701");
    NqlException map = exportFails(acme, "EXPORT (SELECT MAP['k', 1] AS m) TO 'map.csv'");
    assertThat(map.sqlState()).isEqualTo("0A000");
    assertThat(map.getMessage()).endsWith("has type MAP, which exports do not support");
    assertThat(ExportScopeTest.hidden(acmeArea)).isEmpty();
    // an array is its JSON text, as every client receives it
    ExportRoundTripTest.single(acme, "EXPORT (SELECT ARRAY[1, 2] AS a) TO 'array.csv'");
    assertThat(Files.readString(acmeArea.resolve("array.csv"))).isEqualTo("a\r\n\"[1,2]\"\r\n");
    // FORMAT wins over the extension; the "=" may be left out
    ExportRoundTripTest.single(acme, "EXPORT company_data.people TO 'p.data' FORMAT 'parquet'");
    byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(acmeArea.resolve("p.data")), 4);
    assertThat(new String(head, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PAR1");
  }

  private static List<CSVRecord> parse(Path file) throws Exception {
    try (var parser =
        CSVFormat.RFC4180.builder().setHeader().get().parse(Files.newBufferedReader(file))) {
      return parser.getRecords();
    }
  }

  private static List<Path> hiddenQuietly(Path area) {
    try {
      return ExportScopeTest.hidden(area);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static NqlException exportFails(NqlSession session, String sql) {
    NqlException e =
        catchThrowableOfType(NqlException.class, () -> ExportRoundTripTest.single(session, sql));
    assertThat(e).as("%s must fail", sql).isNotNull();
    return e;
  }
}
