package io.nql.planner.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.catalog.CallerSchemas;
import io.nql.planner.catalog.DatasetHandle;
import io.nql.planner.error.NqlException;
import io.nql.planner.exec.QueryExecutor;
import io.nql.planner.exec.QueryResult;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.plan.PlanRewriter;
import io.nql.planner.testing.IcebergTestTables;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.calcite.DataContext;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long scan read ahead on several threads ({@link ReadAhead}) gives exactly the rows of a read on
 * one thread, in the same order, whether read row by row, as Arrow batches, aggregated, limited or
 * filtered; a statement closed early or cancelled leaves no buffer behind (the statement's
 * allocator refuses to close otherwise); and a unit that fails to read fails the statement rather
 * than ending it short.
 */
class ReadAheadTest {
  @TempDir static Path dir;
  static Table table;
  static final QueryExecutor EXECUTOR =
      new QueryExecutor(PlanRewriter.IDENTITY, VectorExecution.EXECUTION);
  static final int FILES = 24;
  static final int ROWS_PER_FILE = 6000;

  @BeforeAll
  static void setUp() {
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "grp", Types.StringType.get()),
            Types.NestedField.optional(3, "amount", Types.DecimalType.of(12, 2)),
            Types.NestedField.optional(4, "x", Types.DoubleType.get()));
    table = IcebergTestTables.create(dir.resolve("wh"), "big", schema);
    long id = 0;
    for (int f = 0; f < FILES; f++) {
      List<Record> rows = new ArrayList<>();
      for (int k = 0; k < ROWS_PER_FILE; k++, id++) {
        GenericRecord r = GenericRecord.create(schema);
        r.setField("id", id);
        r.setField("grp", id % 17 == 0 ? null : "g" + (id * 7919 % 23));
        r.setField("amount", id % 13 == 0 ? null : BigDecimal.valueOf(id * 31 % 100_000, 2));
        r.setField("x", Math.sin(id) * 1000);
        rows.add(r);
      }
      VectorTestData.append(table, rows);
    }
  }

  static SchemaPlus root(Table t) {
    List<DatasetHandle> handles = List.of(new DatasetHandle(1, "big", () -> t));
    return CallerSchemas.forCompany(1, List.of(), c -> c == 1 ? handles : List.of());
  }

  private static Map<String, Object> context(int threads) {
    Map<String, Object> values = new HashMap<>();
    values.put(VectorExecution.CONTEXT_KEY, true);
    values.put(VectorExecution.SCAN_THREADS_KEY, threads);
    return values;
  }

  private static List<List<Object>> rows(String sql, int threads, SchemaPlus root) {
    List<List<Object>> out = new ArrayList<>();
    ScanMetrics metrics = new ScanMetrics();
    try (QueryResult r =
        EXECUTOR.execute(NqlParser.parse(sql), root, metrics, List.of(), context(threads))) {
      while (r.next()) {
        out.add(Arrays.asList(r.row().clone()));
      }
    }
    assertThat(metrics.readAheads() > 0).as("read ahead: " + sql).isEqualTo(threads > 1);
    return out;
  }

  private static List<List<Object>> arrowRows(String sql, int threads, int batch) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator();
        QueryResult r =
            EXECUTOR.execute(
                NqlParser.parse(sql), root(table), new ScanMetrics(), List.of(), context(threads));
        ArrowReader reader = r.arrowReader(allocator, batch)) {
      VectorSchemaRoot vectors = reader.getVectorSchemaRoot();
      while (reader.loadNextBatch()) {
        for (int i = 0; i < vectors.getRowCount(); i++) {
          List<Object> row = new ArrayList<>();
          for (FieldVector v : vectors.getFieldVectors()) {
            row.add(VectorValues.external(v, i));
          }
          out.add(row);
        }
      }
    }
    return out;
  }

  @Test
  void severalThreadsGiveTheRowsOfOneInTheSameOrder() throws Exception {
    List<String> queries =
        List.of(
            "SELECT * FROM company_data.big",
            "SELECT id, amount FROM company_data.big WHERE grp = 'g5' OR x > 900",
            "SELECT id FROM company_data.big WHERE amount < 10 LIMIT 700 OFFSET 300",
            "SELECT grp, COUNT(*), SUM(amount), SUM(x), MIN(id), MAX(x) FROM company_data.big"
                + " GROUP BY grp");
    for (String sql : queries) {
      List<List<Object>> one = rows(sql, 1, root(table));
      assertThat(one).as(sql).isNotEmpty();
      assertThat(rows(sql, 4, root(table))).as(sql).containsExactlyElementsOf(one);
      if (!sql.contains("GROUP BY")) {
        assertThat(arrowRows(sql, 3, 1000))
            .as(sql)
            .containsExactlyElementsOf(arrowRows(sql, 1, 1000));
      }
    }
    assertThat(rows("SELECT COUNT(*) FROM company_data.big", 4, root(table)))
        .containsExactly(List.of((long) FILES * ROWS_PER_FILE));
  }

  @Test
  void closingEarlyOrCancellingLeavesNoBufferBehind() throws Exception {
    for (int i = 0; i < 5; i++) {
      try (BufferAllocator allocator = new RootAllocator();
          QueryResult r =
              EXECUTOR.execute(
                  NqlParser.parse("SELECT * FROM company_data.big"),
                  root(table),
                  new ScanMetrics(),
                  List.of(),
                  context(4));
          ArrowReader reader = r.arrowReader(allocator, 1000)) {
        for (int b = 0; b < 3 + i * 5; b++) {
          assertThat(reader.loadNextBatch()).isTrue();
        }
      } // the statement's allocator throws on close if a batch were left
    }
    AtomicBoolean cancel = new AtomicBoolean();
    Map<String, Object> values = context(4);
    values.put(DataContext.Variable.CANCEL_FLAG.camelName, cancel);
    try (QueryResult r =
        EXECUTOR.execute(
            NqlParser.parse("SELECT id FROM company_data.big"),
            root(table),
            new ScanMetrics(),
            List.of(),
            values)) {
      for (int k = 0; k < 20_000; k++) {
        assertThat(r.next()).isTrue();
      }
      cancel.set(true);
      assertThatThrownBy(
              () -> {
                while (r.next()) {
                  // until the cancel is seen
                }
              })
          .isInstanceOfSatisfying(
              NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("57014"));
    }
  }

  @Test
  void atMostAsManyScansAsCoresReadAheadAtOnceAndTheirSlotsComeBack() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    List<QueryResult> open = new ArrayList<>();
    List<ScanMetrics> metrics = new ArrayList<>();
    try {
      for (int i = 0; i < cores + 2; i++) {
        ScanMetrics m = new ScanMetrics();
        QueryResult r =
            EXECUTOR.execute(
                NqlParser.parse("SELECT id, grp FROM company_data.big"),
                root(table),
                m,
                List.of(),
                context(4));
        open.add(r);
        metrics.add(m);
        for (int k = 0; k < 20_000; k++) {
          assertThat(r.next()).isTrue();
        }
      }
      long reading = metrics.stream().filter(m -> m.readAheads() > 0).count();
      assertThat(reading).isEqualTo(cores);
      // the others read on their own threads, and still read every row in order
      for (QueryResult r : open) {
        long n = 20_000;
        while (r.next()) {
          n++;
        }
        assertThat(n).isEqualTo((long) FILES * ROWS_PER_FILE);
      }
    } finally {
      open.forEach(QueryResult::close);
    }
    // closed: their slots are free again
    assertThat(rows("SELECT id FROM company_data.big WHERE x > 0", 4, root(table))).isNotEmpty();
  }

  @Test
  void aUnitThatCannotBeReadFailsTheStatementInsteadOfEndingIt() throws Exception {
    Table copy = IcebergTestTables.create(dir.resolve("broken"), "big", table.schema());
    List<DataFile> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask t : tasks) {
        Path src = Path.of(t.file().location().replaceFirst("^file:", ""));
        Path dst = dir.resolve("broken-files").resolve(src.getFileName());
        Files.createDirectories(dst.getParent());
        Files.copy(src, dst);
        files.add(
            org.apache.iceberg.DataFiles.builder(copy.spec())
                .copy(t.file())
                .withPath(dst.toString())
                .build());
      }
    }
    org.apache.iceberg.AppendFiles append = copy.newAppend();
    files.forEach(append::appendFile);
    append.commit();
    // the last files planned go missing: read ahead on another thread, they must fail the read
    for (DataFile f : files.subList(files.size() - 3, files.size())) {
      Files.delete(Path.of(f.location()));
    }
    assertThatThrownBy(() -> rows("SELECT id, x FROM company_data.big", 4, root(copy)))
        .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> rows("SELECT id, x FROM company_data.big", 1, root(copy)))
        .isInstanceOf(RuntimeException.class);
  }
}
