package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import io.nql.planner.vector.VectorExecution;
import io.nql.planner.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.NullOrder;
import org.apache.iceberg.SortDirection;
import org.apache.iceberg.SortField;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code CREATE DATASET … SORTED_BY … BLOOM_FILTER …}: the table gets the sort order and the
 * bloom-filter properties (and every new table the page and row-group defaults), unknown columns
 * fail with 42703 and a one-line message, and COPY INTO writes files sorted by the order, with page
 * indexes and bloom filters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatasetLayoutTest {
  @TempDir static Path dir;
  NqlEngine engine;
  NqlSession acme;
  Path ingest;

  @BeforeAll
  void setUp() throws Exception {
    ingest = dir.resolve("ingest");
    Files.createDirectories(ingest.resolve("acme"));
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      admin.execute("CREATE COMPANY acme").close();
      admin.execute("CREATE USER \"acme_user\" COMPANY acme PASSWORD 'pw'").close();
    }
    acme = engine.trusted("acme_user");
  }

  @AfterAll
  void tearDown() {
    acme.close();
    engine.close();
  }

  private Table table(String name) {
    long id = engine.store().company("acme").orElseThrow().id();
    return engine.warehouse().loadTable(engine.warehouse().dataset(id, name).orElseThrow());
  }

  @Test
  void sortOrderAndBloomFiltersBecomeTheTablesLayout() {
    acme.execute(
            "CREATE DATASET \"layout\" (id BIGINT, ts TIMESTAMP, code VARCHAR, flag BOOLEAN)"
                + " SORTED_BY code, ts DESC BLOOM_FILTER id, code")
        .close();
    Table t = table("layout");
    List<SortField> fields = t.sortOrder().fields();
    assertThat(fields).hasSize(2);
    assertThat(t.schema().findColumnName(fields.get(0).sourceId())).isEqualTo("code");
    assertThat(fields.get(0).direction()).isEqualTo(SortDirection.ASC);
    assertThat(fields.get(0).nullOrder()).isEqualTo(NullOrder.NULLS_FIRST);
    assertThat(t.schema().findColumnName(fields.get(1).sourceId())).isEqualTo("ts");
    assertThat(fields.get(1).direction()).isEqualTo(SortDirection.DESC);
    assertThat(fields.get(1).nullOrder()).isEqualTo(NullOrder.NULLS_LAST);
    assertThat(t.properties())
        .containsEntry(TableProperties.PARQUET_BLOOM_FILTER_COLUMN_ENABLED_PREFIX + "id", "true")
        .containsEntry(TableProperties.PARQUET_BLOOM_FILTER_COLUMN_ENABLED_PREFIX + "code", "true")
        .doesNotContainKey(TableProperties.PARQUET_BLOOM_FILTER_COLUMN_ENABLED_PREFIX + "ts")
        .containsEntry(
            TableProperties.PARQUET_PAGE_ROW_LIMIT,
            String.valueOf(Warehouse.DEFAULT_PAGE_ROW_LIMIT))
        .containsEntry(
            TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES,
            String.valueOf(Warehouse.DEFAULT_ROW_GROUP_BYTES));

    acme.execute("CREATE DATASET \"plain\" (id BIGINT)").close();
    Table plain = table("plain");
    assertThat(plain.sortOrder().isUnsorted()).isTrue();
    assertThat(plain.properties())
        .containsEntry(
            TableProperties.PARQUET_PAGE_ROW_LIMIT,
            String.valueOf(Warehouse.DEFAULT_PAGE_ROW_LIMIT))
        .noneSatisfy(
            (k, v) ->
                assertThat(k)
                    .startsWith(TableProperties.PARQUET_BLOOM_FILTER_COLUMN_ENABLED_PREFIX));
  }

  @Test
  void unknownColumnsFailWith42703() {
    assertFails(
        "CREATE DATASET \"bad1\" (id BIGINT) SORTED_BY idx", "42703", "bad1", "SORTED_BY", "idx");
    assertFails(
        "CREATE DATASET \"bad2\" (id BIGINT) BLOOM_FILTER id, nope",
        "42703",
        "bad2",
        "BLOOM_FILTER",
        "nope");
    assertFails("CREATE DATASET \"bad3\" (id BIGINT) SORTED_BY id, id", "42710", "twice");
    assertFails("CREATE DATASET \"bad4\" (ok BOOLEAN) BLOOM_FILTER ok", "22023", "BOOLEAN");
    // nothing was created
    long id = engine.store().company("acme").orElseThrow().id();
    for (String name : List.of("bad1", "bad2", "bad3", "bad4")) {
      assertThat(engine.warehouse().dataset(id, name)).isEmpty();
    }
  }

  private void assertFails(String sql, String sqlState, String... fragments) {
    assertThatThrownBy(() -> acme.execute(sql).close())
        .isInstanceOfSatisfying(
            NqlException.class,
            e -> {
              assertThat(e.sqlState()).isEqualTo(sqlState);
              assertThat(e.getMessage()).doesNotContain("\n").contains(fragments);
            });
  }

  @Test
  void copyIntoWritesSortedFilesWithPageIndexesAndBloomFilters() throws Exception {
    StringBuilder csv = new StringBuilder("id,code,amount\n");
    int n = 20_000;
    for (int k = 0; k < n; k++) {
      int id = (int) ((k * 7919L) % n); // every id once, out of order
      csv.append(id).append(",c").append(id % 31).append(',').append(id % 100).append(".5\n");
    }
    Path file = Files.writeString(ingest.resolve("acme").resolve("sorted.csv"), csv);
    acme.execute(
            "CREATE DATASET \"points\" (id BIGINT, code VARCHAR, amount DECIMAL(8, 2))"
                + " SORTED_BY id BLOOM_FILTER id")
        .close();
    acme.execute("COPY INTO company_data.points FROM '" + file + "' HEADER = TRUE").close();
    Table t = table("points");
    try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile f = task.file();
        assertThat(f.sortOrderId()).isEqualTo(t.sortOrder().orderId());
        // sorted: the file's row groups hold increasing, disjoint id ranges
        try (ParquetFileReader reader =
            ParquetFileReader.open(
                HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(f.location()),
                    new org.apache.hadoop.conf.Configuration()))) {
          long previousMax = Long.MIN_VALUE;
          int pages = 0;
          for (BlockMetaData group : reader.getRowGroups()) {
            ColumnChunkMetaData id = group.getColumns().get(0);
            assertThat(id.getPath().toDotString()).isEqualTo("id");
            long min = (Long) id.getStatistics().genericGetMin();
            long max = (Long) id.getStatistics().genericGetMax();
            assertThat(min).isGreaterThan(previousMax);
            previousMax = max;
            assertThat(id.getBloomFilterOffset()).as("bloom filter on id").isNotNegative();
            assertThat(group.getColumns().get(1).getBloomFilterOffset()).isNegative();
            for (ColumnChunkMetaData chunk : group.getColumns()) {
              assertThat(reader.readColumnIndex(chunk)).isNotNull();
              assertThat(reader.readOffsetIndex(chunk)).isNotNull();
            }
            pages += reader.readOffsetIndex(id).getPageCount();
          }
          // pages of at most the default page row limit
          assertThat(pages).isGreaterThanOrEqualTo(n / Warehouse.DEFAULT_PAGE_ROW_LIMIT);
        }
      }
    }
    // a point lookup reads one page of rows
    try (StatementResult r =
        acme.execute(
            "SELECT id, code FROM company_data.points WHERE id = ?", List.of((Object) 4321L))) {
      assertThat(((QueryStatementResult) r).vectorized()).isTrue();
      assertThat(r.next()).containsExactly(4321L, "c12");
      assertThat(r.next()).isNull();
    }
    assertThat(VectorExecution.enabledByDefault()).isTrue();
  }
}
