package io.nql.planner.vector;

import io.nql.planner.exec.ArrowValues;
import io.nql.planner.iceberg.IcebergTypes;
import io.nql.planner.iceberg.ScanMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.parquet.ParquetMetricsRowGroupFilter;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.PartitionUtil;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.VersionParser;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads the projected columns of one Iceberg data file's split straight into Arrow vectors.
 *
 * <p>Columns are matched by Iceberg field id (files without ids get Iceberg's positional fallback
 * ids); identity-partition columns take the task's constant; columns missing from an older file are
 * NULL. Row groups are those whose midpoint lies in the split (as Parquet and the row reader do),
 * less those whose statistics prove that the scan's filter matches none of their rows.
 */
final class ParquetFileBatches implements FileBatches {
  private static final PrimitiveConverter NO_CONVERTER = new PrimitiveConverter() {};

  private final ParquetFileReader reader;
  private final BufferAllocator allocator;
  private final ScanMetrics metrics;
  private final List<Types.NestedField> fields;
  private final List<RelDataType> types;

  /** Per output column: the file column, or null for a constant. */
  private final ColumnDescriptor[] columns;

  private final ColumnFiller[] fillers;
  private final Object[] constants;
  private final List<BlockMetaData> rowGroups;
  private final boolean[] readGroup;
  private final VersionParser.ParsedVersion writer;
  private final ColumnReader[] readers;

  /** Per output column of the current row group: the bulk page reader, when it applies. */
  private final PageColumn[] pageColumns;

  private long bulkChunks;
  private long valueChunks;
  private int nextGroup;
  private long rowsLeftInGroup;

  private ParquetFileBatches(
      ParquetFileReader reader,
      BufferAllocator allocator,
      ScanMetrics metrics,
      List<Types.NestedField> fields,
      List<RelDataType> types,
      ColumnDescriptor[] columns,
      ColumnFiller[] fillers,
      Object[] constants,
      boolean[] readGroup) {
    this.reader = reader;
    this.allocator = allocator;
    this.metrics = metrics;
    this.fields = fields;
    this.types = types;
    this.columns = columns;
    this.fillers = fillers;
    this.constants = constants;
    this.rowGroups = reader.getRowGroups();
    this.readGroup = readGroup;
    this.writer = writerVersion(reader);
    this.readers = new ColumnReader[columns.length];
    this.pageColumns = new PageColumn[columns.length];
  }

  /**
   * Opens a task's file for the vector reader.
   *
   * @param tableSchema the schema the scan filter binds to
   * @param filter the scan's filter (only used to skip row groups), or null
   * @return the reader, or null when the file has a column this reader does not handle (then read
   *     it with {@link GenericFileBatches})
   */
  static @Nullable ParquetFileBatches open(
      FileIO io,
      FileScanTask task,
      Schema tableSchema,
      List<Types.NestedField> fields,
      List<RelDataType> types,
      @Nullable Expression filter,
      ScanMetrics metrics,
      BufferAllocator allocator) {
    ParquetReadOptions options =
        ParquetReadOptions.builder().withRange(task.start(), task.start() + task.length()).build();
    ParquetFileReader reader;
    try {
      reader =
          ParquetFileReader.open(
              new ParquetInput(io.newInputFile(task.file().location())), options);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean keep = false;
    try {
      MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
      MessageType withIds =
          ParquetSchemaUtil.hasIds(fileSchema)
              ? fileSchema
              : ParquetSchemaUtil.addFallbackIds(fileSchema);
      Map<Integer, ?> partition =
          PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant);
      int n = fields.size();
      ColumnDescriptor[] columns = new ColumnDescriptor[n];
      ColumnFiller[] fillers = new ColumnFiller[n];
      Object[] constants = new Object[n];
      List<Type> requested = new ArrayList<>();
      for (int c = 0; c < n; c++) {
        Types.NestedField field = fields.get(c);
        if (partition.containsKey(field.fieldId())) {
          constants[c] = IcebergTypes.toExact(partition.get(field.fieldId()), field.type());
          continue;
        }
        int index = topLevelIndex(withIds, field.fieldId());
        if (index < 0) {
          continue; // added after this file was written: NULL
        }
        Type fileField = fileSchema.getType(index);
        if (!fileField.isPrimitive()) {
          return null;
        }
        ColumnDescriptor column =
            fileSchema.getColumnDescription(new String[] {fileField.getName()});
        ColumnFiller filler = ColumnFiller.of(column, field.type());
        if (filler == null) {
          return null;
        }
        columns[c] = column;
        fillers[c] = filler;
        if (!requested.contains(fileField)) {
          requested.add(fileField);
        }
      }
      reader.setRequestedSchema(new MessageType(fileSchema.getName(), requested));
      List<BlockMetaData> groups = reader.getRowGroups();
      boolean[] readGroup = new boolean[groups.size()];
      ParquetMetricsRowGroupFilter stats = statsFilter(tableSchema, filter);
      for (int g = 0; g < groups.size(); g++) {
        readGroup[g] = stats == null || shouldRead(stats, withIds, groups.get(g));
      }
      ParquetFileBatches batches =
          new ParquetFileBatches(
              reader, allocator, metrics, fields, types, columns, fillers, constants, readGroup);
      keep = true;
      return batches;
    } finally {
      if (!keep) {
        closeQuietly(reader);
      }
    }
  }

  private static int topLevelIndex(MessageType schema, int fieldId) {
    List<Type> top = schema.getFields();
    for (int i = 0; i < top.size(); i++) {
      Type.ID id = top.get(i).getId();
      if (id != null && id.intValue() == fieldId) {
        return i;
      }
    }
    return -1;
  }

  private static @Nullable ParquetMetricsRowGroupFilter statsFilter(
      Schema schema, @Nullable Expression filter) {
    if (filter == null) {
      return null;
    }
    try {
      return new ParquetMetricsRowGroupFilter(schema, filter, true);
    } catch (RuntimeException e) {
      return null; // a filter that does not bind only loses skipping, never rows
    }
  }

  private static boolean shouldRead(
      ParquetMetricsRowGroupFilter stats, MessageType schema, BlockMetaData group) {
    try {
      return stats.shouldRead(schema, group);
    } catch (RuntimeException e) {
      return true;
    }
  }

  private static VersionParser.@Nullable ParsedVersion writerVersion(ParquetFileReader reader) {
    try {
      return VersionParser.parse(reader.getFooter().getFileMetaData().getCreatedBy());
    } catch (RuntimeException | VersionParser.VersionParseException e) {
      return null;
    }
  }

  /** Row groups skipped by statistics so far (for tests). */
  int rowGroupsSkipped() {
    int skipped = 0;
    for (int g = 0; g < Math.min(nextGroup, readGroup.length); g++) {
      if (!readGroup[g]) {
        skipped++;
      }
    }
    return skipped;
  }

  @Override
  public @Nullable Batch next(int maxRows) {
    try {
      while (rowsLeftInGroup == 0) {
        if (!advanceGroup()) {
          return null;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int n = (int) Math.min(maxRows, rowsLeftInGroup);
    FieldVector[] out = new FieldVector[fields.size()];
    boolean done = false;
    try {
      for (int c = 0; c < out.length; c++) {
        FieldVector v = VectorTypes.newVector(fields.get(c).name(), types.get(c), allocator);
        out[c] = v;
        if (v instanceof BaseFixedWidthVector f) {
          f.allocateNew(n);
        } else if (v instanceof BaseVariableWidthVector w) {
          w.allocateNew((long) n * 16, n);
        } else {
          v.setInitialCapacity(n);
          v.allocateNew();
        }
        if (pageColumns[c] != null) {
          fillers[c].fill(pageColumns[c], v, n);
        } else if (columns[c] != null) {
          fillers[c].fill(readers[c], v, n);
        } else if (constants[c] != null) {
          for (int i = 0; i < n; i++) {
            ArrowValues.set(v, i, constants[c]);
          }
        }
        v.setValueCount(n);
      }
      done = true;
    } finally {
      if (!done) {
        new Batch(out, 0).close();
      }
    }
    rowsLeftInGroup -= n;
    metrics.addRowsRead(n);
    return new Batch(out, n);
  }

  private boolean advanceGroup() throws IOException {
    while (nextGroup < rowGroups.size()) {
      int g = nextGroup++;
      if (!readGroup[g]) {
        reader.skipNextRowGroup();
        continue;
      }
      PageReadStore pages = reader.readNextRowGroup();
      if (pages == null) {
        return false;
      }
      BlockMetaData group = rowGroups.get(g);
      for (int c = 0; c < columns.length; c++) {
        readers[c] = null;
        pageColumns[c] = null;
        if (columns[c] == null) {
          continue;
        }
        if (fillers[c].bulk() && PageColumn.handles(columns[c], chunk(group, columns[c]))) {
          pageColumns[c] = new PageColumn(columns[c], pages.getPageReader(columns[c]));
          bulkChunks++;
        } else {
          readers[c] =
              new ColumnReaderImpl(
                  columns[c], pages.getPageReader(columns[c]), NO_CONVERTER, writer);
          valueChunks++;
        }
      }
      rowsLeftInGroup = pages.getRowCount();
      if (rowsLeftInGroup > 0) {
        return true;
      }
    }
    return false;
  }

  private static org.apache.parquet.hadoop.metadata.@Nullable ColumnChunkMetaData chunk(
      BlockMetaData group, ColumnDescriptor column) {
    for (org.apache.parquet.hadoop.metadata.ColumnChunkMetaData m : group.getColumns()) {
      if (java.util.Arrays.equals(m.getPath().toArray(), column.getPath())) {
        return m;
      }
    }
    return null;
  }

  /** Column chunks read by the bulk page decoder and by parquet-column's reader (for tests). */
  long[] chunksByReader() {
    return new long[] {bulkChunks, valueChunks};
  }

  @Override
  public void close() {
    closeQuietly(reader);
  }

  private static void closeQuietly(ParquetFileReader reader) {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
