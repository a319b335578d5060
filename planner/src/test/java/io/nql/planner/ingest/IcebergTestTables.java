package io.nql.planner.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.io.CloseableIterable;

/** Test helpers: Hadoop tables under a temporary directory and read-back utilities. */
public final class IcebergTestTables {
  private IcebergTestTables() {}

  public static Table create(Path dir, String name, Schema schema, PartitionSpec spec) {
    return new HadoopTables(new Configuration())
        .create(schema, spec, dir.resolve(name).toAbsolutePath().toString());
  }

  public static Table create(Path dir, String name, Schema schema) {
    return create(dir, name, schema, PartitionSpec.unpartitioned());
  }

  /** All rows, ordered by the given column's string form (nulls first). */
  public static List<Record> rows(Table table, String orderBy) {
    table.refresh();
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
      it.forEach(r -> rows.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows.sort(
        Comparator.comparing(
            (Record r) -> r.getField(orderBy) == null ? "" : String.valueOf(r.getField(orderBy))));
    return rows;
  }

  /** Data files (no checksum files) found on disk below the table's data directory. */
  public static List<Path> dataFilesOnDisk(Table table) {
    Path data = Path.of(table.location().replaceFirst("^file:", "")).resolve("data");
    if (!Files.exists(data)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(data)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(".crc"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Long snapshotId(Table table) {
    table.refresh();
    Snapshot s = table.currentSnapshot();
    return s == null ? null : s.snapshotId();
  }
}
