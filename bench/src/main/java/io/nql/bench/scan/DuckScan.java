package io.nql.bench.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

/**
 * DuckDB in-process over the Parquet data files of NQL's warehouse, the policy in its query;
 * results exported as Arrow batches (its fastest way out to Java).
 */
final class DuckScan implements ScanClient {
  private final BufferAllocator allocator = new RootAllocator();
  private final Connection conn;
  private final String source;

  DuckScan(Path warehouse) throws SQLException, IOException {
    conn = DriverManager.getConnection("jdbc:duckdb:");
    List<String> files;
    try (Stream<Path> walk = Files.walk(warehouse)) {
      files =
          walk.filter(p -> p.toString().endsWith(".parquet"))
              .map(p -> "'" + p.toAbsolutePath() + "'")
              .sorted()
              .toList();
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("no Parquet files under " + warehouse);
    }
    source = "read_parquet([" + String.join(", ", files) + "])";
  }

  @Override
  public String name() {
    return "DuckDB";
  }

  @Override
  public Answer run(String scenario) throws Exception {
    boolean groups = scenario.equals(ScanQueries.AGGREGATE);
    Checksum c = new Checksum();
    GroupSums g = new GroupSums();
    try (Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery(ScanQueries.sql(source, scenario, ScanData.POLICY_FILTER));
        ArrowReader reader =
            (ArrowReader) ((DuckDBResultSet) rs).arrowExportStream(allocator, 65_536)) {
      while (reader.loadNextBatch()) {
        if (groups) {
          GroupReaders.add(reader.getVectorSchemaRoot(), g);
        } else {
          Readers.add(reader.getVectorSchemaRoot(), c);
        }
      }
    }
    return groups ? g : c;
  }

  @Override
  public void close() throws SQLException {
    conn.close();
    allocator.close();
  }
}
