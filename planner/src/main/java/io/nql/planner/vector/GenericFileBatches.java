package io.nql.planner.vector;

import io.nql.planner.exec.ArrowValues;
import io.nql.planner.iceberg.IcebergTypes;
import io.nql.planner.iceberg.ScanMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.PartitionUtil;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads a data file the vector reader does not handle (e.g. INT96 timestamps) with Iceberg's
 * generic reader, exactly as the row engine does, and copies its records into vectors.
 */
final class GenericFileBatches implements FileBatches {
  private final CloseableIterable<Record> open;
  private final Iterator<Record> records;
  private final List<Types.NestedField> fields;
  private final List<RelDataType> types;
  private final ScanMetrics metrics;
  private final BufferAllocator allocator;

  GenericFileBatches(
      FileIO io,
      FileScanTask task,
      List<Types.NestedField> fields,
      List<RelDataType> types,
      ScanMetrics metrics,
      BufferAllocator allocator) {
    this.fields = fields;
    this.types = types;
    this.metrics = metrics;
    this.allocator = allocator;
    Schema projected = new Schema(fields);
    Map<Integer, ?> constants =
        PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant);
    this.open =
        Parquet.read(io.newInputFile(task.file().location()))
            .project(projected)
            .split(task.start(), task.length())
            .createReaderFunc(
                fileSchema -> GenericParquetReaders.buildReader(projected, fileSchema, constants))
            .build();
    this.records = open.iterator();
  }

  @Override
  public @Nullable Batch next(int maxRows) {
    if (!records.hasNext()) {
      return null;
    }
    FieldVector[] out = new FieldVector[fields.size()];
    for (int c = 0; c < out.length; c++) {
      out[c] = VectorTypes.newVector(fields.get(c).name(), types.get(c), allocator);
      out[c].setInitialCapacity(maxRows);
      out[c].allocateNew();
    }
    int n = 0;
    try {
      while (n < maxRows && records.hasNext()) {
        Record r = records.next();
        for (int c = 0; c < out.length; c++) {
          ArrowValues.set(out[c], n, IcebergTypes.toExact(r.get(c), fields.get(c).type()));
        }
        n++;
      }
      for (FieldVector v : out) {
        v.setValueCount(n);
      }
    } catch (RuntimeException e) {
      new Batch(out, 0).close();
      throw e;
    }
    metrics.addRowsRead(n);
    return new Batch(out, n);
  }

  @Override
  public void close() {
    try {
      open.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
