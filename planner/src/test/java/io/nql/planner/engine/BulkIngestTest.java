package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.JDBCType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulk ingestion ({@link NqlSession#ingest}, what Flight SQL's {@code CommandStatementIngest} and
 * ADBC's {@code adbc_ingest} reach): each load is one snapshot, all or nothing — a bad value in the
 * last rows, an unsupported column type or a cancel leaves the dataset as it was (and a dataset the
 * load created is gone); only the caller's own namespace is written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BulkIngestTest {
  @TempDir static Path dir;
  private NqlEngine engine;
  private NqlSession beta;
  private long betaId;

  @BeforeAll
  void setUp() throws Exception {
    engine = PeopleMarketplace.open(dir);
    beta = engine.trusted("beta_user");
    betaId = engine.store().company("beta").orElseThrow().id();
  }

  @AfterAll
  void tearDown() {
    beta.close();
    engine.close();
  }

  private static final List<IngestRequest.Column> EVENT =
      List.of(
          new IngestRequest.Column("id", JDBCType.BIGINT, 0, 0, "int64"),
          new IngestRequest.Column("Kind of event", JDBCType.VARCHAR, 0, 0, "string"),
          new IngestRequest.Column("amount", JDBCType.DECIMAL, 10, 2, "decimal"),
          new IngestRequest.Column("ok", JDBCType.BOOLEAN, 0, 0, "bool"),
          new IngestRequest.Column("day", JDBCType.DATE, 0, 0, "date"),
          new IngestRequest.Column("at", JDBCType.TIMESTAMP, 0, 0, "timestamp"),
          new IngestRequest.Column("seen", JDBCType.TIMESTAMP_WITH_TIMEZONE, 0, 0, "timestamptz"),
          new IngestRequest.Column("score", JDBCType.DOUBLE, 0, 0, "double"));

  private static Object[] event(int i) {
    return new Object[] {
      (long) i,
      i % 7 == 0 ? null : "kind \"" + (i % 3) + "\", ok",
      new BigDecimal(i).movePointLeft(2),
      i % 2 == 0,
      LocalDate.of(2026, 1, 1).plusDays(i),
      LocalDateTime.of(2026, 1, 1, 0, 0).plusMinutes(i),
      Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i).atOffset(java.time.ZoneOffset.UTC),
      i / 4.0
    };
  }

  private static Iterator<Object[]> events(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(BulkIngestTest::event).iterator();
  }

  private static IngestRequest request(
      String dataset, IngestRequest.IfMissing missing, IngestRequest.IfExists exists) {
    return new IngestRequest(null, dataset, EVENT, missing, exists);
  }

  private List<String> rows(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (StatementResult r = beta.execute(sql)) {
      for (List<Object> row : ResultText.read(r, false, 100_000)) {
        out.add(row.stream().map(String::valueOf).collect(Collectors.joining("|")));
      }
    }
    return out;
  }

  private int snapshots(String dataset) {
    var d = engine.warehouse().dataset(betaId, dataset).orElseThrow();
    int n = 0;
    for (var ignored : engine.warehouse().loadTable(d).snapshots()) {
      n++;
    }
    return n;
  }

  @Test
  void createAppendAndReplaceEachWriteOneSnapshot() throws Exception {
    assertThat(
            beta.ingest(
                request("events", IngestRequest.IfMissing.CREATE, IngestRequest.IfExists.FAIL),
                events(1, 3000)))
        .isEqualTo(3000);
    assertThat(snapshots("events")).isEqualTo(1);
    assertThat(rows("SELECT COUNT(*), SUM(id), COUNT(\"Kind of event\") FROM company_data.events"))
        .containsExactly("3000|4501500|" + (3000 - 3000 / 7));
    // values arrive as written: compare one row with the row given
    Object[] e = event(1234);
    assertThat(
            rows(
                "SELECT \"Kind of event\", amount, ok, \"day\", \"at\", score FROM"
                    + " company_data.events WHERE id = 1234"))
        .containsExactly(e[1] + "|" + e[2] + "|" + e[3] + "|" + e[4] + "|" + e[5] + "|" + e[7]);

    // append: a subset of the columns, the others NULL
    List<IngestRequest.Column> idOnly = EVENT.subList(0, 1);
    assertThat(
            beta.ingest(
                new IngestRequest(
                    "company_data",
                    "events",
                    idOnly,
                    IngestRequest.IfMissing.FAIL,
                    IngestRequest.IfExists.APPEND),
                List.<Object[]>of(new Object[] {9001L}, new Object[] {9002L}).iterator()))
        .isEqualTo(2);
    assertThat(rows("SELECT id, amount FROM company_data.events WHERE id > 9000 ORDER BY id"))
        .containsExactly("9001|null", "9002|null");
    assertThat(snapshots("events")).isEqualTo(2);

    // replace: the rows given, and nothing else
    beta.ingest(
        request("events", IngestRequest.IfMissing.FAIL, IngestRequest.IfExists.REPLACE),
        events(5, 9));
    assertThat(rows("SELECT id FROM company_data.events ORDER BY id"))
        .containsExactly("5", "6", "7", "8", "9");
    assertThat(snapshots("events")).isEqualTo(3);
  }

  @Test
  void aFailedLoadLeavesNothing() throws Exception {
    beta.ingest(
        request("orders", IngestRequest.IfMissing.CREATE, IngestRequest.IfExists.FAIL),
        events(1, 10));
    List<Object[]> bad = new ArrayList<>();
    events(11, 2000).forEachRemaining(bad::add);
    bad.get(bad.size() - 1)[0] = "not a number"; // the very last row
    assertThatThrownBy(
            () ->
                beta.ingest(
                    request("orders", IngestRequest.IfMissing.FAIL, IngestRequest.IfExists.APPEND),
                    bad.iterator()))
        .isInstanceOf(NqlException.class)
        .hasMessageContaining("row 1990")
        .hasMessageContaining("'id'")
        .extracting(x -> ((NqlException) x).sqlState())
        .isEqualTo("22P02");
    assertThat(rows("SELECT COUNT(*) FROM company_data.orders")).containsExactly("10");
    assertThat(snapshots("orders")).isEqualTo(1);

    // a load that created its dataset and failed leaves no dataset
    assertThatThrownBy(
            () ->
                beta.ingest(
                    request("fresh", IngestRequest.IfMissing.CREATE, IngestRequest.IfExists.FAIL),
                    bad.iterator()))
        .isInstanceOf(NqlException.class);
    assertThat(engine.warehouse().dataset(betaId, "fresh")).isEmpty();

    // a type datasets do not hold: refused before anything is created
    List<IngestRequest.Column> listColumn =
        List.of(new IngestRequest.Column("tags", JDBCType.OTHER, 0, 0, "list"));
    assertThatThrownBy(
            () ->
                beta.ingest(
                    new IngestRequest(
                        null,
                        "tagged",
                        listColumn,
                        IngestRequest.IfMissing.CREATE,
                        IngestRequest.IfExists.FAIL),
                    List.<Object[]>of().iterator()))
        .isInstanceOf(NqlException.class)
        .hasMessage(
            "Cannot ingest into company_data.tagged: column 'tags' has type list, which datasets"
                + " do not support")
        .extracting(x -> ((NqlException) x).sqlState())
        .isEqualTo("0A000");
    assertThat(engine.warehouse().dataset(betaId, "tagged")).isEmpty();
  }

  @Test
  void modesAndNamespacesAreChecked() {
    beta.ingest(
        request("leads", IngestRequest.IfMissing.CREATE, IngestRequest.IfExists.FAIL),
        events(1, 2));
    assertThatThrownBy(
            () ->
                beta.ingest(
                    request("leads", IngestRequest.IfMissing.CREATE, IngestRequest.IfExists.FAIL),
                    events(1, 2)))
        .extracting(x -> ((NqlException) x).sqlState())
        .isEqualTo("42P07");
    assertThatThrownBy(
            () ->
                beta.ingest(
                    request("absent", IngestRequest.IfMissing.FAIL, IngestRequest.IfExists.APPEND),
                    events(1, 2)))
        .extracting(x -> ((NqlException) x).sqlState())
        .isEqualTo("42P01");
    // another company's namespace: refused, whatever exists there
    for (String schema : List.of("acme", "narrative")) {
      assertThatThrownBy(
              () ->
                  beta.ingest(
                      new IngestRequest(
                          schema,
                          "people",
                          EVENT,
                          IngestRequest.IfMissing.CREATE,
                          IngestRequest.IfExists.APPEND),
                      events(1, 2)))
          .extracting(x -> ((NqlException) x).sqlState())
          .isEqualTo("42501");
    }
    // a column the dataset does not have
    assertThatThrownBy(
            () ->
                beta.ingest(
                    new IngestRequest(
                        null,
                        "leads",
                        List.of(new IngestRequest.Column("nope", JDBCType.BIGINT, 0, 0, "int64")),
                        IngestRequest.IfMissing.FAIL,
                        IngestRequest.IfExists.APPEND),
                    List.<Object[]>of(new Object[] {1L}).iterator()))
        .extracting(x -> ((NqlException) x).sqlState())
        .isEqualTo("42703");
  }

  @Test
  void aCancelStopsTheLoadWithNothingLoaded() throws Exception {
    beta.ingest(
        request("feed", IngestRequest.IfMissing.CREATE, IngestRequest.IfExists.FAIL), events(1, 5));
    Iterator<Object[]> endless =
        new Iterator<>() {
          int i;

          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public Object[] next() {
            if (++i == 50_000) {
              beta.cancel(); // as another thread would, mid-load
            }
            return event(i);
          }
        };
    assertThatThrownBy(
            () ->
                beta.ingest(
                    request("feed", IngestRequest.IfMissing.FAIL, IngestRequest.IfExists.APPEND),
                    endless))
        .extracting(x -> ((NqlException) x).sqlState())
        .isEqualTo("57014");
    assertThat(rows("SELECT COUNT(*) FROM company_data.feed")).containsExactly("5");
  }
}
