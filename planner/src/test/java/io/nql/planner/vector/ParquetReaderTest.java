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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Parquet reader on files written by DuckDB (no Iceberg field ids: Iceberg's positional ids;
 * DuckDB's encodings) and by Iceberg's writer (row-group skipping from statistics).
 */
class ParquetReaderTest {
  @TempDir static Path dir;
  static Table duck;
  static VectorTestData iceberg;

  @BeforeAll
  static void setUp() throws Exception {
    Path file = dir.resolve("duck.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute(
          "COPY (SELECT i::BIGINT AS id,"
              + " CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 1000 - 500)::INTEGER END AS n,"
              + " CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 37) % 100000 / 100.0)::DECIMAL(10,2)"
              + "  END AS amount,"
              + " ((i * 7919) % 1000003 / 10000.0)::DECIMAL(38,4) AS big,"
              + " CASE WHEN i % 13 = 0 THEN NULL"
              + "  ELSE (['Zoë','東京','emoji 😀','a\uE000','plain'])[1 + i % 5] END AS label,"
              + " TIMESTAMP '2026-10-01 00:00:00' + INTERVAL (i * 977) MILLISECOND"
              + "  + INTERVAL (i % 1000) MICROSECOND AS ts,"
              + " (DATE '1969-12-01' + (i % 90)::INTEGER) AS d,"
              + " (i % 3 = 0) AS flag,"
              + " (i * 1.5)::DOUBLE AS x,"
              + " (i / 3.0)::FLOAT AS f"
              + " FROM range(50000) t(i)) TO '"
              + file
              + "' (FORMAT PARQUET, ROW_GROUP_SIZE 8192)");
    }
    Schema schema =
        new Schema(
            Types.NestedField.optional(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "n", Types.IntegerType.get()),
            Types.NestedField.optional(3, "amount", Types.DecimalType.of(10, 2)),
            Types.NestedField.optional(4, "big", Types.DecimalType.of(38, 4)),
            Types.NestedField.optional(5, "label", Types.StringType.get()),
            Types.NestedField.optional(6, "ts", Types.TimestampType.withoutZone()),
            Types.NestedField.optional(7, "d", Types.DateType.get()),
            Types.NestedField.optional(8, "flag", Types.BooleanType.get()),
            Types.NestedField.optional(9, "x", Types.DoubleType.get()),
            Types.NestedField.optional(10, "f", Types.FloatType.get()));
    duck = IcebergTestTables.create(dir, "duck", schema, PartitionSpec.unpartitioned());
    duck.newAppend()
        .appendFile(
            DataFiles.builder(PartitionSpec.unpartitioned())
                .withPath(file.toString())
                .withFormat(FileFormat.PARQUET)
                .withFileSizeInBytes(Files.size(file))
                .withRecordCount(50000)
                .build())
        .commit();
    iceberg = new VectorTestData(dir.resolve("ice"));
  }

  private static SchemaPlus root(Table t) {
    List<DatasetHandle> handles = List.of(new DatasetHandle(1, "t", () -> t));
    return CallerSchemas.forCompany(1, List.of(), c -> c == 1 ? handles : List.of());
  }

  private static List<List<Object>> rows(Table t, String sql, boolean vector, ScanMetrics m)
      throws Exception {
    try (QueryResult r =
        new QueryExecutor(PlanRewriter.IDENTITY, VectorExecution.EXECUTION)
            .execute(
                NqlParser.parse(sql),
                root(t),
                m,
                List.of(),
                Map.of(VectorExecution.CONTEXT_KEY, vector))) {
      assertThat(r.vectorized()).isEqualTo(vector);
      List<List<Object>> out = new ArrayList<>();
      while (r.next()) {
        out.add(Arrays.asList(r.row()));
      }
      return out;
    }
  }

  @Test
  void readsDuckDbFilesAsIcebergsReaderDoes() throws Exception {
    for (String sql :
        List.of(
            "SELECT * FROM company_data.t",
            "SELECT id, label FROM company_data.t WHERE label >= 'a' AND n < 0",
            "SELECT id, ts, big FROM company_data.t WHERE amount BETWEEN 10 AND 20.5")) {
      List<List<Object>> expected = rows(duck, sql, false, new ScanMetrics());
      assertThat(expected).isNotEmpty();
      // the row engine reads timestamps at milliseconds, the vector path as stored
      assertThat(VectorTestData.floorTimestamps(rows(duck, sql, true, new ScanMetrics())))
          .containsExactlyElementsOf(expected);
    }
  }

  @Test
  void keepsTheMicrosecondsDuckDbWrote() throws Exception {
    List<List<Object>> rows =
        rows(duck, "SELECT id, ts FROM company_data.t", true, new ScanMetrics());
    assertThat(rows).hasSize(50000);
    LocalDateTime start = LocalDateTime.of(2026, 10, 1, 0, 0);
    for (List<Object> row : rows) {
      long i = (Long) row.get(0);
      assertThat(row.get(1))
          .as("ts of row %d", i)
          .isEqualTo(start.plus(i * 977, ChronoUnit.MILLIS).plus(i % 1000, ChronoUnit.MICROS));
    }
  }

  @Test
  void skipsRowGroupsTheFilterExcludes() throws Exception {
    String sql = "SELECT id, i FROM company_data.t WHERE id < 100";
    ScanMetrics vector = new ScanMetrics();
    ScanMetrics row = new ScanMetrics();
    assertThat(rows(iceberg.table, sql, true, vector))
        .containsExactlyElementsOf(rows(iceberg.table, sql, false, row));
    // one file (1,500 rows) is planned; its later row groups are skipped by their id bounds (the
    // row engine now skips them too, so compare with the file's rows)
    assertThat(vector.filesPlanned()).isEqualTo(row.filesPlanned()).isEqualTo(1);
    assertThat(vector.rowsRead()).isLessThan(1500).isGreaterThanOrEqualTo(100);
  }

  @Test
  void partitionConstantsAndAddedColumns() throws Exception {
    String sql = "SELECT region, extra, label FROM company_data.t WHERE region <> 'eu'";
    List<List<Object>> expected = rows(iceberg.table, sql, false, new ScanMetrics());
    assertThat(expected).anyMatch(r -> r.get(1) == null).anyMatch(r -> r.get(1) != null);
    assertThat(rows(iceberg.table, sql, true, new ScanMetrics()))
        .containsExactlyElementsOf(expected);
  }
}
