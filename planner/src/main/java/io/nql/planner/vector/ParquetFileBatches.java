package io.nql.planner.vector;

import io.nql.planner.exec.ArrowValues;
import io.nql.planner.iceberg.IcebergTypes;
import io.nql.planner.iceberg.ScanMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
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
 *
 * <p>When the filter converts to a Parquet predicate ({@link ParquetRecordFilter}), parquet-mr
 * skips more with it: row groups by statistics, dictionaries and bloom filters, and, in a row group
 * it reads, the pages that the file's page index (column and offset indexes) rules out. Only the
 * pages overlapping the remaining rows are read and decoded, and every column delivers exactly
 * those rows ({@link RowSelection}; parquet-column's synchronizing reader for the columns read
 * value by value). The filter only skips: rows are still filtered above the scan.
 */
final class ParquetFileBatches implements FileBatches {
  private static final PrimitiveConverter NO_CONVERTER = new PrimitiveConverter() {};

  /**
   * parquet-mr's settings, at their defaults. Without one, every reader's options would build a
   * Hadoop {@code Configuration}, which parses Hadoop's default XML resources: milliseconds per
   * file opened, more than a point lookup's whole read.
   */
  private static final ParquetConfiguration DEFAULTS = new PlainParquetConfiguration();

  /** Converters for parquet-column's readers of flat columns: values are read, not converted. */
  private static final GroupConverter NO_CONVERTERS =
      new GroupConverter() {
        @Override
        public Converter getConverter(int fieldIndex) {
          return NO_CONVERTER;
        }

        @Override
        public void start() {}

        @Override
        public void end() {}
      };

  private final ParquetFileReader reader;
  private final BufferAllocator allocator;
  private final ScanMetrics metrics;
  private final List<Types.NestedField> fields;
  private final List<RelDataType> types;

  /** Per output column: the file column, or null for a constant. */
  private final ColumnDescriptor[] columns;

  private final ColumnFiller[] fillers;
  private final Object[] constants;

  /** Per output column: whether nothing reads it (it is left null in the batches). */
  private final boolean[] skipped;

  private final MessageType requested;
  private final boolean filtered;
  private final int rowGroupsInSplit;
  private final String createdBy;
  private final ColumnReader[] readers;

  /** Per output column of the current row group: the bulk page reader, when it applies. */
  private final PageColumn[] pageColumns;

  /** The filter's comparisons, tested before the other columns are decoded, or null. */
  private final @Nullable KeyRows keys;

  /** Whether the key columns of the current row group are read by bulk page readers. */
  private boolean keysPaged;

  private long bulkChunks;
  private long valueChunks;
  private int rowGroupsRead;
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
      MessageType requested,
      boolean filtered,
      int rowGroupsInSplit,
      @Nullable KeyFilter keys,
      boolean[] skipped) {
    this.skipped = skipped;
    this.reader = reader;
    this.allocator = allocator;
    this.metrics = metrics;
    this.fields = fields;
    this.types = types;
    this.columns = columns;
    this.fillers = fillers;
    this.constants = constants;
    this.requested = requested;
    this.filtered = filtered;
    this.rowGroupsInSplit = rowGroupsInSplit;
    String by = reader.getFooter().getFileMetaData().getCreatedBy();
    this.createdBy = by == null ? "" : by;
    this.readers = new ColumnReader[columns.length];
    this.pageColumns = new PageColumn[columns.length];
    this.keys = keys == null ? null : new KeyRows(keys);
  }

  /**
   * Opens a task's file for the vector reader.
   *
   * @param tableSchema the schema the scan filter binds to
   * @param filter the scan's filter (only used to skip row groups and pages), or null
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
      BufferAllocator allocator,
      boolean @Nullable [] wanted) {
    ParquetInput file = new ParquetInput(io.newInputFile(task.file().location()));
    ParquetReadOptions.Builder options =
        ParquetReadOptions.builder(DEFAULTS)
            .withRange(task.start(), task.start() + task.length())
            .withCodecFactory(PageCodecs.of(DEFAULTS));
    SeekableInputStream in = file.newStream();
    ParquetFileReader reader = null;
    boolean kept = false;
    try {
      ParquetMetadata footer =
          ParquetFooters.footer(
              file, task.start(), task.start() + task.length(), options.build(), in);
      MessageType fileSchema = footer.getFileMetaData().getSchema();
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
      Map<Integer, ColumnDescriptor> byFieldId = new HashMap<>();
      java.util.Set<Integer> filtered = ParquetRecordFilter.filterFields(tableSchema, filter);
      boolean[] skipped = new boolean[n];
      for (int c = 0; c < n; c++) {
        Types.NestedField field = fields.get(c);
        if (wanted != null
            && !wanted[c]
            && filtered != null
            && !filtered.contains(field.fieldId())) {
          skipped[c] = true; // nothing reads it: neither read nor decoded (a null column)
          continue;
        }
        if (partition.containsKey(field.fieldId())) {
          constants[c] = IcebergTypes.toExact(partition.get(field.fieldId()), field.type());
          continue;
        }
        int index = ParquetRecordFilter.topLevelIndex(withIds, field.fieldId());
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
        byFieldId.put(field.fieldId(), column);
        if (!requested.contains(fileField)) {
          requested.add(fileField);
        }
      }
      // Row groups Iceberg's statistics filter keeps (it also knows the predicates that do not
      // convert for parquet-mr), then the record filter for parquet-mr's own skipping.
      List<BlockMetaData> split = footer.getBlocks();
      List<BlockMetaData> groups = new ArrayList<>();
      ParquetMetricsRowGroupFilter stats = statsFilter(tableSchema, filter);
      for (BlockMetaData group : split) {
        if (stats == null || shouldRead(stats, withIds, group)) {
          groups.add(group);
        }
      }
      FilterPredicate predicate =
          filter == null ? null : ParquetRecordFilter.of(tableSchema, filter, byFieldId);
      if (predicate != null) {
        options
            .withRecordFilter(FilterCompat.get(predicate))
            .useStatsFilter(true)
            .useDictionaryFilter(true)
            .useBloomFilter(true)
            .useColumnIndexFilter(true);
      }
      reader =
          new CachingFileReader(
              file, new ParquetMetadata(footer.getFileMetaData(), groups), options.build(), in);
      MessageType projection = new MessageType(fileSchema.getName(), requested);
      reader.setRequestedSchema(projection);
      ParquetFileBatches batches =
          new ParquetFileBatches(
              reader,
              allocator,
              metrics,
              fields,
              types,
              columns,
              fillers,
              constants,
              projection,
              predicate != null,
              split.size(),
              KeyFilter.of(tableSchema, filter, fields, types, columns),
              skipped);
      kept = true;
      return batches;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (!kept) {
        // the reader owns the stream once it exists
        closeQuietly(reader, in);
      }
    }
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

  /**
   * Row groups of the split skipped so far, by statistics, dictionaries, bloom filters or the page
   * index (exact once the file is read to its end).
   */
  int rowGroupsSkipped() {
    return rowGroupsInSplit - rowGroupsRead;
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
    if (keys != null && keysPaged) {
      return nextLate(n);
    }
    FieldVector[] out = new FieldVector[fields.size()];
    boolean done = false;
    try {
      for (int c = 0; c < out.length; c++) {
        if (skipped[c]) {
          continue;
        }
        FieldVector v = allocate(c, n);
        out[c] = v;
        if (pageColumns[c] != null) {
          fillers[c].fill(pageColumns[c], v, n);
        } else if (columns[c] != null) {
          fillers[c].fill(readers[c], v, n);
        } else if (constants[c] != null) {
          fillConstant(v, constants[c], n);
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
    metrics.addRowsDecoded(n);
    return new Batch(out, n);
  }

  /**
   * Late materialization: decodes the key columns of the next {@code n} rows and tests them, then
   * decodes the other columns only from the first to the last row that passes (skipping the values
   * before and after) and writes only the rows that pass; no other column is decoded when none
   * passes.
   */
  private Batch nextLate(int n) {
    int count = keys.read(pageColumns, n);
    rowsLeftInGroup -= n;
    metrics.addRowsRead(n);
    boolean more = rowsLeftInGroup > 0;
    if (count == 0) {
      if (more) {
        for (int c = 0; c < columns.length; c++) {
          if (keys.key(c) < 0) {
            skip(c, n);
          }
        }
      }
      return new Batch(new FieldVector[0], 0);
    }
    int first = keys.first();
    int last = keys.last();
    int m = last - first + 1;
    int[] within = keys.within();
    FieldVector[] out = new FieldVector[fields.size()];
    boolean done = false;
    try {
      for (int c = 0; c < out.length; c++) {
        if (skipped[c]) {
          continue;
        }
        int k = keys.key(c);
        if (k < 0 && columns[c] != null && pageColumns[c] == null && within != null) {
          out[c] = readAndCompact(c, first, m, within, count, more ? n - last - 1 : 0);
          continue;
        }
        FieldVector v = allocate(c, count);
        out[c] = v;
        if (k >= 0) {
          keys.copy(k, v);
        } else if (columns[c] != null) {
          skip(c, first);
          if (pageColumns[c] != null) {
            fillers[c].fill(pageColumns[c], v, m, within, count);
          } else {
            fillers[c].fill(readers[c], v, m);
          }
          if (more) {
            skip(c, n - last - 1);
          }
        } else if (constants[c] != null) {
          fillConstant(v, constants[c], count);
        }
        v.setValueCount(count);
      }
      done = true;
    } finally {
      if (!done) {
        new Batch(out, 0).close();
      }
    }
    metrics.addRowsDecoded(count);
    return new Batch(out, count);
  }

  /**
   * A column read value by value: rows {@code first..first+m)} decoded into a vector, then the
   * {@code count} of them at {@code within} copied out; {@code after} values skipped past them.
   */
  private FieldVector readAndCompact(int c, int first, int m, int[] within, int count, int after) {
    skip(c, first);
    FieldVector span = allocate(c, m);
    try (Batch all = new Batch(new FieldVector[] {span}, m)) {
      fillers[c].fill(readers[c], span, m);
      span.setValueCount(m);
      skip(c, after);
      Batch kept = Selections.compact(all, Arrays.copyOf(within, count), allocator);
      return kept.vectors[0];
    }
  }

  /** A new vector of output column {@code c} with room for {@code rows} values. */
  private FieldVector allocate(int c, int rows) {
    FieldVector v = VectorTypes.newVector(fields.get(c).name(), types.get(c), allocator);
    if (v instanceof BaseFixedWidthVector f) {
      f.allocateNew(rows);
    } else if (v instanceof BaseVariableWidthVector w) {
      w.allocateNew((long) rows * 16, rows);
    } else {
      v.setInitialCapacity(rows);
      v.allocateNew();
    }
    return v;
  }

  private static void fillConstant(FieldVector v, Object value, int rows) {
    for (int i = 0; i < rows; i++) {
      ArrowValues.set(v, i, value);
    }
  }

  /** Passes over the next {@code n} values of output column {@code c}'s file column. */
  private void skip(int c, int n) {
    if (n <= 0) {
      return;
    }
    if (pageColumns[c] != null) {
      pageColumns[c].skip(n);
    } else if (readers[c] != null) {
      ColumnReader r = readers[c];
      int defined = columns[c].getMaxDefinitionLevel();
      for (int i = 0; i < n; i++) {
        if (r.getCurrentDefinitionLevel() == defined) {
          r.skip();
        }
        r.consume();
      }
    }
  }

  private boolean advanceGroup() throws IOException {
    while (true) {
      // With a record filter, parquet-mr passes over the row groups (or reads only the pages) the
      // page index rules out; without one, it reads whole row groups.
      PageReadStore read = filtered ? reader.readNextFilteredRowGroup() : reader.readNextRowGroup();
      if (read == null) {
        return false;
      }
      rowGroupsRead++;
      metrics.addRowGroupsRead(1);
      PageReadStore pages = new CountingPages(read, metrics);
      BlockMetaData group = group(pages);
      RowSelection selection = pages.getRowIndexes().map(RowSelection::of).orElse(null);
      ColumnReadStoreImpl values = null;
      for (int c = 0; c < columns.length; c++) {
        readers[c] = null;
        pageColumns[c] = null;
        if (columns[c] == null) {
          continue;
        }
        if (fillers[c].bulk()
            && group != null
            && PageColumn.handles(columns[c], chunk(group, columns[c]))) {
          pageColumns[c] =
              new PageColumn(
                  columns[c],
                  pages.getPageReader(columns[c]),
                  selection == null ? null : selection.cursor());
          bulkChunks++;
        } else {
          if (values == null) {
            // its readers skip the values of rows outside the selection, if there is one
            values = new ColumnReadStoreImpl(pages, NO_CONVERTERS, requested, createdBy);
          }
          readers[c] = values.getColumnReader(columns[c]);
          valueChunks++;
        }
      }
      keysPaged = keys != null;
      if (keys != null) {
        for (int c : keys.columns()) {
          keysPaged &= pageColumns[c] != null;
        }
      }
      rowsLeftInGroup = pages.getRowCount();
      if (rowsLeftInGroup > 0) {
        return true;
      }
    }
  }

  /** The row group a page store was read from (by its first row in the file), or null. */
  private @Nullable BlockMetaData group(PageReadStore pages) {
    long offset = pages.getRowIndexOffset().orElse(-1L);
    for (BlockMetaData g : reader.getRowGroups()) {
      if (g.getRowIndexOffset() == offset) {
        return g;
      }
    }
    return null;
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
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes after a failure to open (whose exception is the one to report). */
  private static void closeQuietly(
      @Nullable ParquetFileReader reader, @Nullable SeekableInputStream in) {
    try {
      if (reader != null) {
        reader.close();
      } else if (in != null) {
        in.close();
      }
    } catch (IOException | RuntimeException e) {
      // the open failed already
    }
  }
}
