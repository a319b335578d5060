package io.nql.planner.vector;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.catalog.CallerSchemas;
import io.nql.planner.catalog.DatasetHandle;
import io.nql.planner.exec.QueryExecutor;
import io.nql.planner.exec.QueryResult;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.plan.PlanRewriter;
import io.nql.planner.testing.IcebergTestTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Page-level skipping in the vector reader: a table sorted by {@code id}, written by Iceberg with
 * small pages (with column and offset indexes) whose boundaries differ between columns (a long
 * string column fills pages by size, the others by row count), and with bloom filters on {@code id}
 * and {@code code}. Filtered reads must give the row engine's rows for every type, NULLs and
 * boundaries, on the key and on other columns, while the scan metrics show fewer rows and pages
 * read than whole row groups.
 */
class PageSkippingTest {
  static final int FILES = 2;
  static final int ROWS_PER_FILE = 4000;

  @TempDir static Path dir;
  static Table table;
  static final QueryExecutor EXECUTOR =
      new QueryExecutor(PlanRewriter.IDENTITY, VectorExecution.EXECUTION);

  @BeforeAll
  static void setUp() {
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "k", Types.IntegerType.get()),
            Types.NestedField.optional(3, "code", Types.StringType.get()),
            Types.NestedField.optional(4, "note", Types.StringType.get()),
            Types.NestedField.optional(5, "amt", Types.DecimalType.of(10, 2)),
            Types.NestedField.optional(6, "big", Types.DecimalType.of(30, 4)),
            Types.NestedField.optional(7, "ts", Types.TimestampType.withoutZone()),
            Types.NestedField.optional(8, "dt", Types.DateType.get()),
            Types.NestedField.optional(9, "flag", Types.BooleanType.get()),
            Types.NestedField.optional(10, "x", Types.DoubleType.get()),
            Types.NestedField.optional(11, "bin", Types.BinaryType.get()),
            Types.NestedField.optional(12, "u", Types.UUIDType.get()),
            Types.NestedField.optional(13, "tm", Types.TimeType.get()));
    table = IcebergTestTables.create(dir, "p", schema, PartitionSpec.unpartitioned());
    Random random = new Random(7);
    for (int f = 0; f < FILES; f++) {
      List<Record> rows = new ArrayList<>();
      for (int k = 0; k < ROWS_PER_FILE; k++) {
        rows.add(row(schema, (long) f * ROWS_PER_FILE + k, random));
      }
      append(rows);
    }
    // one manifest: Iceberg then plans the files in one order, for both engines
    table.rewriteManifests().clusterBy(f -> "all").commit();
  }

  private static Record row(Schema schema, long id, Random r) {
    GenericRecord g = GenericRecord.create(schema);
    g.setField("id", id);
    // sorted with the id (pages of k prune too), NULL at every 17th row
    g.setField("k", id % 17 == 0 ? null : (int) (id / 3) - 1000);
    g.setField("code", id % 11 == 0 ? null : "c" + (id % 97) + (id % 5 == 0 ? "é" : ""));
    // long and variable: its pages end at other rows than the other columns'
    g.setField("note", id % 13 == 0 ? null : "n".repeat((int) (id % 200)) + id);
    g.setField("amt", id % 19 == 0 ? null : BigDecimal.valueOf(id * 7 - 20000, 2));
    g.setField("big", BigDecimal.valueOf(id * 31, 4));
    g.setField("ts", id % 23 == 0 ? null : LocalDateTime.of(2026, 1, 1, 0, 0).plusSeconds(id * 61));
    g.setField("dt", LocalDate.of(2000, 1, 1).plusDays(id / 10));
    g.setField("flag", id % 7 == 0 ? null : r.nextBoolean());
    g.setField("x", r.nextGaussian());
    g.setField("bin", ByteBuffer.wrap(new byte[] {(byte) (id >> 8), (byte) id}));
    g.setField("u", id % 29 == 0 ? null : new UUID(id, r.nextLong()));
    g.setField("tm", LocalTime.ofSecondOfDay(id % 86400));
    return g;
  }

  private static DataFile append(List<Record> rows) {
    try {
      var out =
          table
              .io()
              .newOutputFile(
                  table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet"));
      DataWriter<Record> writer =
          Parquet.writeData(out)
              .schema(table.schema())
              .createWriterFunc(GenericParquetWriter::create)
              .withSpec(PartitionSpec.unpartitioned())
              .set("write.parquet.row-group-size-bytes", "50000")
              .set("write.parquet.page-row-limit", "128")
              .set("write.parquet.page-size-bytes", "4096")
              .set("write.parquet.bloom-filter-enabled.column.id", "true")
              .set("write.parquet.bloom-filter-enabled.column.code", "true")
              .overwrite()
              .build();
      try (writer) {
        for (Record r : rows) {
          writer.write(r);
        }
      }
      DataFile file = writer.toDataFile();
      table.newAppend().appendFile(file).commit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SchemaPlus root() {
    List<DatasetHandle> handles = List.of(new DatasetHandle(1, "t", () -> table));
    return CallerSchemas.forCompany(1, List.of(), c -> c == 1 ? handles : List.of());
  }

  private static List<List<Object>> rows(
      String sql, List<Object> params, boolean vector, ScanMetrics metrics) throws Exception {
    try (QueryResult r =
        EXECUTOR.execute(
            NqlParser.parse(sql),
            root(),
            metrics,
            params,
            Map.of(VectorExecution.CONTEXT_KEY, vector))) {
      assertThat(r.vectorized()).as(sql).isEqualTo(vector);
      List<List<Object>> out = new ArrayList<>();
      while (r.next()) {
        Object[] row = r.row().clone();
        for (int i = 0; i < row.length; i++) {
          if (row[i] instanceof byte[] b) {
            row[i] = Arrays.toString(b);
          }
        }
        out.add(Arrays.asList(row));
      }
      return out;
    }
  }

  private static final String ALL = "SELECT * FROM company_data.t";

  static Stream<Arguments> filters() {
    List<Arguments> out = new ArrayList<>();
    for (long id : new long[] {0, 1, 127, 128, 129, 2500, 3999, 4000, 7999, 8000, -5}) {
      out.add(Arguments.of(ALL + " WHERE id = ?", List.of(id)));
    }
    out.add(Arguments.of(ALL + " WHERE id = 4321", List.of()));
    out.add(Arguments.of(ALL + " WHERE id BETWEEN ? AND ?", List.of(1000L, 1300L)));
    out.add(Arguments.of(ALL + " WHERE id > ? OR id < ?", List.of(7900L, 50L)));
    out.add(Arguments.of(ALL + " WHERE id IN (5, 700, 701, 6000)", List.of()));
    out.add(Arguments.of(ALL + " WHERE id >= ? AND k < ?", List.of(3000L, 300)));
    out.add(Arguments.of(ALL + " WHERE k = ?", List.of(500)));
    // key filters (late materialization): ranges over NULLs, a key with another column's
    // predicate, an empty range, an IN list with a value at a page boundary
    out.add(Arguments.of(ALL + " WHERE k BETWEEN ? AND ?", List.of(300, 310)));
    out.add(Arguments.of(ALL + " WHERE id = ? AND code = ?", List.of(42L, "c42")));
    out.add(Arguments.of(ALL + " WHERE id = ? AND code = ?", List.of(42L, "c43")));
    out.add(Arguments.of(ALL + " WHERE id > ? AND id < ?", List.of(20L, 10L)));
    out.add(Arguments.of(ALL + " WHERE k IN (-1000, 17, 2000, 1665) AND id > 0", List.of()));
    out.add(Arguments.of("SELECT code, k FROM company_data.t WHERE k >= ?", List.of(1660)));
    out.add(Arguments.of(ALL + " WHERE k IS NULL AND id < ?", List.of(2000L)));
    out.add(Arguments.of(ALL + " WHERE code = ?", List.of("c42é")));
    out.add(Arguments.of(ALL + " WHERE code = ?", List.of("absent")));
    out.add(Arguments.of(ALL + " WHERE code IS NULL", List.of()));
    out.add(Arguments.of(ALL + " WHERE note = ?", List.of("nnnnn605")));
    out.add(Arguments.of(ALL + " WHERE amt = ?", List.of(new BigDecimal("100.00"))));
    out.add(Arguments.of(ALL + " WHERE amt < ? AND id > ?", List.of(new BigDecimal("-150"), 10L)));
    out.add(Arguments.of(ALL + " WHERE big = ?", List.of(new BigDecimal("31.0000"))));
    out.add(
        Arguments.of(
            ALL + " WHERE ts BETWEEN ? AND ?",
            List.of(LocalDateTime.of(2026, 1, 2, 0, 0), LocalDateTime.of(2026, 1, 2, 6, 0))));
    out.add(Arguments.of(ALL + " WHERE dt = ?", List.of(LocalDate.of(2000, 3, 1))));
    out.add(Arguments.of(ALL + " WHERE flag = ? AND id < ?", List.of(true, 600L)));
    out.add(Arguments.of(ALL + " WHERE x > ? AND id < ?", List.of(1.5, 3000L)));
    out.add(
        Arguments.of(
            ALL + " WHERE tm < ? AND id BETWEEN 100 AND 700", List.of(LocalTime.of(0, 5))));
    out.add(Arguments.of("SELECT id, u, flag FROM company_data.t WHERE id = ?", List.of(290L)));
    out.add(Arguments.of("SELECT note, big FROM company_data.t WHERE id <= ?", List.of(300L)));
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("filters")
  void filteredReadsGiveTheRowEnginesRows(String sql, List<Object> params) throws Exception {
    List<List<Object>> expected = rows(sql, params, false, new ScanMetrics());
    ScanMetrics metrics = new ScanMetrics();
    assertThat(rows(sql, params, true, metrics))
        .as(sql + " " + params)
        .containsExactlyElementsOf(expected);
  }

  @Test
  void pointLookupReadsOnePageOfRowsInsteadOfItsRowGroup() throws Exception {
    ScanMetrics whole = new ScanMetrics();
    List<List<Object>> all = rows(ALL, List.of(), true, whole);
    assertThat(all).hasSize(FILES * ROWS_PER_FILE);
    assertThat(whole.rowsRead()).isEqualTo(FILES * ROWS_PER_FILE);
    long rowGroups = whole.rowGroupsRead();
    assertThat(rowGroups).as("several row groups per file").isGreaterThan(2L * FILES);

    ScanMetrics point = new ScanMetrics();
    List<List<Object>> found = rows(ALL + " WHERE id = ?", List.of(2500L), true, point);
    assertThat(found).singleElement().satisfies(r -> assertThat(r.get(0)).isEqualTo(2500L));
    // the other file by its bounds, the other row groups by statistics, the other pages by the
    // page index: the rows of one page of id
    assertThat(point.filesPlanned()).isEqualTo(1);
    assertThat(point.rowGroupsRead()).isEqualTo(1);
    assertThat(point.rowsRead()).isLessThanOrEqualTo(128).isPositive();
    // late materialization: id decoded for the page's rows, the other twelve columns for one row
    assertThat(point.rowsDecoded()).isEqualTo(1);
    assertThat(whole.rowsDecoded()).isEqualTo(whole.rowsRead());
    long rowsPerGroup = FILES * ROWS_PER_FILE / rowGroups;
    assertThat(point.rowsRead()).isLessThan(rowsPerGroup);
    // at most a page or two of each of the 13 columns, against every page of every column
    assertThat(point.pagesRead()).isLessThanOrEqualTo(2 * 13).isLessThan(whole.pagesRead() / 20);
  }

  @Test
  void rangeReadsOnlyTheOverlappingPages() throws Exception {
    ScanMetrics m = new ScanMetrics();
    List<List<Object>> rows =
        rows("SELECT id FROM company_data.t WHERE id BETWEEN 1000 AND 1300", List.of(), true, m);
    assertThat(rows).hasSize(301);
    // whole pages of id around the range: at most one page more on each side
    assertThat(m.rowsRead()).isGreaterThanOrEqualTo(301).isLessThanOrEqualTo(301 + 2 * 128);
    assertThat(m.rowsDecoded()).isEqualTo(301);
  }

  @Test
  void keyFilterDecodesOnlyTheRowsBetweenTheFirstAndLastMatch() throws Exception {
    // k = id / 3 - 1000 (NULL at every 17th id): k = 500 at ids 4500 to 4502
    ScanMetrics m = new ScanMetrics();
    List<List<Object>> rows = rows(ALL + " WHERE k = ?", List.of(500), true, m);
    assertThat(rows).extracting(r -> r.get(0)).containsExactly(4500L, 4501L, 4502L);
    assertThat(m.rowsDecoded()).isEqualTo(3);
    // an IN list over two pages: from the first to the last match of each batch
    ScanMetrics in = new ScanMetrics();
    assertThat(rows(ALL + " WHERE id IN (5, 700, 701, 6000)", List.of(), true, in)).hasSize(4);
    assertThat(in.rowsDecoded()).isLessThan(in.rowsRead());
    // no key filter (a disjunction): every row read is decoded
    ScanMetrics or = new ScanMetrics();
    rows(ALL + " WHERE id > ? OR id < ?", List.of(7900L, 50L), true, or);
    assertThat(or.rowsDecoded()).isEqualTo(or.rowsRead());
  }

  @Test
  void bloomFilterSkipsRowGroupsStatisticsCannot() throws Exception {
    // code values repeat in every row group, so statistics keep them all; an absent value is in
    // no bloom filter
    ScanMetrics m = new ScanMetrics();
    assertThat(rows(ALL + " WHERE code = ?", List.of("c42x"), true, m)).isEmpty();
    assertThat(m.filesPlanned()).isEqualTo(FILES);
    assertThat(m.rowGroupsRead()).isZero();
    assertThat(m.rowsRead()).isZero();
  }

  @Test
  void filterThatDoesNotConvertSkipsNoPages() throws Exception {
    // a double comparison is not converted for parquet-mr: whole row groups are read (every one
    // has values above 1.5), and no row is lost
    String sql = "SELECT id FROM company_data.t WHERE x > 1.5";
    ScanMetrics m = new ScanMetrics();
    List<List<Object>> rows = rows(sql, List.of(), true, m);
    assertThat(rows).isEqualTo(rows(sql, List.of(), false, new ScanMetrics())).isNotEmpty();
    assertThat(m.rowsRead()).isEqualTo(FILES * ROWS_PER_FILE);
  }

  @Test
  void icebergsWriterWritesPageIndexesAndBloomFilters() throws Exception {
    DataFile any;
    try (var tasks = table.newScan().planFiles()) {
      any = tasks.iterator().next().file();
    }
    try (ParquetFileReader reader =
        ParquetFileReader.open(new ParquetInput(table.io().newInputFile(any.location())))) {
      BlockMetaData group = reader.getRowGroups().get(0);
      for (ColumnChunkMetaData chunk : group.getColumns()) {
        assertThat(reader.readOffsetIndex(chunk)).as("offset index " + chunk.getPath()).isNotNull();
        assertThat(reader.readColumnIndex(chunk)).as("column index " + chunk.getPath()).isNotNull();
        boolean bloom =
            chunk.getPath().toDotString().equals("id")
                || chunk.getPath().toDotString().equals("code");
        assertThat(chunk.getBloomFilterOffset() >= 0)
            .as("bloom " + chunk.getPath())
            .isEqualTo(bloom);
      }
    }
  }
}
