package io.nql.planner.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;

/** Creates Iceberg tables under a directory and appends Parquet files of generic records. */
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
}
