package io.nql.planner.vector;

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
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;

/**
 * Measures a full scan of N rows × 6 columns (BIGINT, INTEGER, two DECIMALs, VARCHAR, TIMESTAMP)
 * through {@code arrowReader} and {@code next()} on the vector path and the row engine, and
 * DuckDB's own Arrow export of the same file. Run: {@code java -cp …
 * io.nql.planner.vector.VectorScanHarness [rows] [dir]}.
 */
public final class VectorScanHarness {
  private VectorScanHarness() {}

  public static void main(String[] args) throws Exception {
    long n = args.length > 0 ? Long.parseLong(args[0]) : 3_000_000L;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("nql-vector-bench");
    Path file = dir.resolve("scan.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      if (!Files.exists(file)) {
        s.execute(
            "COPY (SELECT i::BIGINT AS id, (i % 100000)::INTEGER AS n,"
                + " ((i * 37) % 10000000 / 100.0)::DECIMAL(12,2) AS amount,"
                + " ((i * 7919) % 100000007 / 10000.0)::DECIMAL(18,4) AS price,"
                + " 'label_' || (i % 5000) AS label,"
                + " TIMESTAMP '2026-01-01' + INTERVAL (i) SECOND AS ts"
                + " FROM range("
                + n
                + ") t(i)) TO '"
                + file
                + "' (FORMAT PARQUET)");
      }
      Table table = table(dir, file, n);
      SchemaPlus root = root(table);
      String sql = "SELECT * FROM company_data.t";
      String only = args.length > 2 ? args[2] : "";
      for (int round = 0; round < 3; round++) {
        System.out.printf("round %d (%d rows)%n", round, n);
        if (only.isEmpty() || only.equals("vector")) {
          report("vector arrow", n, () -> arrow(root, sql, true));
          report("vector next ", n, () -> next(root, sql, true));
        }
        if (only.isEmpty() || only.equals("row")) {
          report("row    arrow", n, () -> arrow(root, sql, false));
          report("row    next ", n, () -> next(root, sql, false));
        }
        if (only.isEmpty() || only.equals("duckdb")) {
          report("duckdb arrow", n, () -> duck(s, file));
        }
      }
    }
  }

  interface Run {
    long rows() throws Exception;
  }

  private static void report(String name, long expected, Run run) throws Exception {
    long t0 = System.nanoTime();
    long rows = run.rows();
    double s = (System.nanoTime() - t0) / 1e9;
    if (rows != expected) {
      throw new IllegalStateException(name + " read " + rows + " rows, expected " + expected);
    }
    System.out.printf("  %s %8.2f s %12.0f rows/s%n", name, s, rows / s);
  }

  private static Table table(Path dir, Path file, long n) throws Exception {
    Schema schema =
        new Schema(
            Types.NestedField.optional(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "n", Types.IntegerType.get()),
            Types.NestedField.optional(3, "amount", Types.DecimalType.of(12, 2)),
            Types.NestedField.optional(4, "price", Types.DecimalType.of(18, 4)),
            Types.NestedField.optional(5, "label", Types.StringType.get()),
            Types.NestedField.optional(6, "ts", Types.TimestampType.withoutZone()));
    String name = "t" + System.nanoTime();
    Table t = IcebergTestTables.create(dir, name, schema, PartitionSpec.unpartitioned());
    t.newAppend()
        .appendFile(
            DataFiles.builder(PartitionSpec.unpartitioned())
                .withPath(file.toString())
                .withFormat(FileFormat.PARQUET)
                .withFileSizeInBytes(Files.size(file))
                .withRecordCount(n)
                .build())
        .commit();
    return t;
  }

  private static SchemaPlus root(Table t) {
    List<DatasetHandle> handles = List.of(new DatasetHandle(1, "t", () -> t));
    return CallerSchemas.forCompany(1, List.of(), c -> c == 1 ? handles : List.of());
  }

  private static QueryResult execute(SchemaPlus root, String sql, boolean vector) throws Exception {
    return new QueryExecutor(PlanRewriter.IDENTITY, VectorExecution.EXECUTION)
        .execute(
            NqlParser.parse(sql),
            root,
            new ScanMetrics(),
            List.of(),
            Map.of(VectorExecution.CONTEXT_KEY, vector));
  }

  private static long arrow(SchemaPlus root, String sql, boolean vector) throws Exception {
    long rows = 0;
    try (BufferAllocator a = new RootAllocator();
        QueryResult r = execute(root, sql, vector);
        ArrowReader reader = r.arrowReader(a, 65536)) {
      while (reader.loadNextBatch()) {
        rows += reader.getVectorSchemaRoot().getRowCount();
      }
    }
    return rows;
  }

  private static long next(SchemaPlus root, String sql, boolean vector) throws Exception {
    long rows = 0;
    try (QueryResult r = execute(root, sql, vector)) {
      while (r.next()) {
        rows++;
      }
    }
    return rows;
  }

  private static long duck(Statement s, Path file) throws Exception {
    long rows = 0;
    try (BufferAllocator a = new RootAllocator();
        ResultSet rs = s.executeQuery("SELECT * FROM read_parquet('" + file + "')");
        ArrowReader reader =
            (ArrowReader) ((org.duckdb.DuckDBResultSet) rs).arrowExportStream(a, 65536)) {
      while (reader.loadNextBatch()) {
        rows += reader.getVectorSchemaRoot().getRowCount();
      }
    }
    return rows;
  }
}
