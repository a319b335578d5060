package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.Files;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.CloseableIterator;
import org.apache.iceberg.mapping.MappingUtil;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;

/**
 * A Parquet file from any writer, read with Iceberg's generic readers. Files without Iceberg field
 * ids are read through a name mapping built from their own schema. Only top-level primitive columns
 * are supported.
 */
final class ParquetRowSource implements RowSource {
  private final Path file;
  private final Schema schema;
  private final List<String> names;
  private final long totalBytes;
  private final long totalRows;
  private final CloseableIterable<Record> iterable;
  private final CloseableIterator<Record> rows;
  private long rowNumber;

  ParquetRowSource(Path file) {
    this.file = file;
    MessageType type;
    long size;
    long count = 0;
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      type = reader.getFooter().getFileMetaData().getSchema();
      for (BlockMetaData block : reader.getFooter().getBlocks()) {
        count += block.getRowCount();
      }
      size = java.nio.file.Files.size(file);
    } catch (IOException | RuntimeException e) {
      throw new NqlException(
          ErrorCode.BAD_COPY_FILE_FORMAT,
          String.format(
              Locale.ROOT, "Cannot load '%s': not a readable Parquet file", file.getFileName()),
          e);
    }
    this.schema = schemaOf(file, type);
    this.totalBytes = size;
    this.totalRows = count;
    List<String> n = new ArrayList<>();
    for (Types.NestedField f : schema.columns()) {
      n.add(f.name());
    }
    this.names = List.copyOf(n);
    this.iterable =
        Parquet.read(Files.localInput(file.toFile()))
            .project(schema)
            .withNameMapping(MappingUtil.create(schema))
            .createReaderFunc(fileType -> GenericParquetReaders.buildReader(schema, fileType))
            .build();
    this.rows = iterable.iterator();
  }

  /** The file's schema as Iceberg types (ids as in the file, or assigned by position). */
  Schema schema() {
    return schema;
  }

  private static Schema schemaOf(Path file, MessageType type) {
    Schema converted = ParquetSchemaUtil.convert(type);
    for (Types.NestedField f : converted.columns()) {
      if (!f.type().isPrimitiveType()) {
        throw NqlException.of(
            ErrorCode.NOT_SUPPORTED,
            "Cannot load '%s': column '%s' has a nested type (%s); only flat columns are supported",
            file.getFileName(),
            f.name(),
            f.type().typeId().name().toLowerCase(Locale.ROOT));
      }
    }
    return converted;
  }

  /** Column names as written in the file. */
  List<String> names() {
    return names;
  }

  @Override
  public SourceRow next() {
    try {
      if (!rows.hasNext()) {
        return null;
      }
      Record record = rows.next();
      rowNumber++;
      Object[] values = new Object[names.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = record.get(i);
      }
      return new SourceRow(rowNumber, names, values);
    } catch (NqlException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new NqlException(
          ErrorCode.BAD_COPY_FILE_FORMAT,
          String.format(
              Locale.ROOT,
              "Cannot load '%s': row %d: the Parquet data cannot be decoded",
              file.getFileName(),
              rowNumber + 1),
          e);
    }
  }

  @Override
  public String positionWord() {
    return "row";
  }

  @Override
  public long bytesRead() {
    return totalRows == 0 ? totalBytes : totalBytes * rowNumber / totalRows;
  }

  @Override
  public long totalBytes() {
    return totalBytes;
  }

  @Override
  public void close() {
    try {
      rows.close();
      iterable.close();
    } catch (IOException e) {
      // Closing a read-only file: nothing was lost.
    }
  }
}
