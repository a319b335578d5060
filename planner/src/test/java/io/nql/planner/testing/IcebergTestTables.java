package io.nql.planner.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;

/**
 * Iceberg tables for tests: created under a directory, appended with Parquet files of generic
 * records, and read back (rows, snapshot ids, data files on disk).
 */
public final class IcebergTestTables {
  private final Path dir;

  public IcebergTestTables(Path dir) {
    this.dir = dir;
  }

  /** Creates a table at {@code dir/name}. */
  public Table create(String name, Schema schema, PartitionSpec spec) {
    return new HadoopTables(new Configuration())
        .create(schema, spec, dir.resolve(name).toUri().toString());
  }

  /** A record of the table's schema from values in column order. */
  public static Record record(Table table, Object... values) {
    GenericRecord r = GenericRecord.create(table.schema());
    for (int i = 0; i < values.length; i++) {
      r.set(i, values[i]);
    }
    return r;
  }

  /**
   * Appends the rows as ONE data file (all rows must share one partition) in one commit.
   *
   * @return the data file
   */
  public static DataFile appendFile(Table table, List<Record> rows) {
    return appendFile(table, rows, Map.of());
  }

  /**
   * Appends the rows as ONE data file in one commit, written with extra Parquet writer properties
   * (e.g. {@code write.parquet.row-group-size-bytes}).
   *
   * @return the data file
   */
  public static DataFile appendFile(
      Table table, List<Record> rows, Map<String, String> writeProperties) {
    try {
      OutputFile out =
          table
              .io()
              .newOutputFile(
                  table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet"));
      PartitionKey key = new PartitionKey(table.spec(), table.schema());
      if (!rows.isEmpty()) {
        key.partition(new InternalRecordWrapper(table.schema().asStruct()).wrap(rows.get(0)));
      }
      DataWriter<Record> writer =
          Parquet.writeData(out)
              .schema(table.schema())
              .createWriterFunc(GenericParquetWriter::create)
              .setAll(writeProperties)
              .withSpec(table.spec())
              .withPartition(table.spec().isUnpartitioned() ? null : key)
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

  /** Local paths of the table's current data files. */
  public static List<String> dataFiles(Table table) {
    List<String> paths = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask t : tasks) {
        paths.add(t.file().location().replaceFirst("^file:", ""));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return paths;
  }

  /** Creates a table at {@code dir/name} (for tests without an instance). */
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
