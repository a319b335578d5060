package io.nql.planner.export;

import java.io.IOException;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;

/**
 * Parquet through Iceberg's generic writer, the one the warehouse's data files are written with:
 * the columns keep the schema's types (DECIMAL as Parquet decimals, timestamps in microseconds
 * adjusted to UTC or not, UUID as 16-byte fixed, …), its required/optional flags and its field ids,
 * compressed with zstd as the warehouse's tables are. Rows are buffered one row group at a time
 * ({@value #ROW_GROUP_BYTES} bytes), so memory stays bounded whatever the number of rows.
 */
final class ParquetRowWriter implements RowWriter {
  /**
   * Row-group size: large enough for readers to scan efficiently (DuckDB and pyarrow write groups
   * of this order), small enough that many exports at once do not crowd the gateway's heap.
   */
  static final long ROW_GROUP_BYTES = 32L * 1024 * 1024;

  private final FileAppender<Record> appender;
  private final GenericRecord record;
  private final int width;

  ParquetRowWriter(OutputFile file, Schema schema) throws IOException {
    this.appender =
        Parquet.write(file)
            .schema(schema)
            .createWriterFunc(GenericParquetWriter::create)
            .set(TableProperties.PARQUET_COMPRESSION, "zstd")
            .set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, Long.toString(ROW_GROUP_BYTES))
            .overwrite()
            .build();
    this.record = GenericRecord.create(schema);
    this.width = schema.columns().size();
  }

  @Override
  public void write(Object[] row) {
    // One record reused: the writer copies each value into its column buffers as it is added.
    for (int i = 0; i < width; i++) {
      record.set(i, row[i]);
    }
    appender.add(record);
  }

  @Override
  public void finish() throws IOException {
    appender.close();
  }

  @Override
  public void abandon() {
    try {
      appender.close();
    } catch (IOException | RuntimeException e) {
      // the file is deleted: what the writer could not close does not matter
    }
  }
}
