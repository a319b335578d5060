package io.nql.planner.iceberg;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.ColumnIterator;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.parquet.ParquetValueReader;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.util.PartitionUtil;
import org.apache.parquet.column.page.PageReadStore;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Streams the rows of planned Parquet files, one file open at a time, skipping the row groups that
 * the pushed filter rules out by their statistics, dictionaries or bloom filters. With a minimum
 * row id ({@code DELTA} reads) only the rows whose {@linkplain Lineage row id} is at least that are
 * returned.
 */
final class IcebergRowEnumerator implements Enumerator<Object[]> {
  private final Table table;

  /** The columns read, and the row position when {@link #ids} are wanted. */
  private final Schema projected;

  /** The columns read and the row position: what a kept small file holds. */
  private final Schema withPositions;

  /**
   * The field ids in the scan's column order and {@link #withPositions}, as {@link SmallFileRows}'
   * key.
   */
  private final String projectionKey;

  /** {@link #filter} as {@link SmallFileRows}' key writes it, null when it has none. */
  private final @Nullable String filterKey;

  private final int[] positions;
  private final Type[] types;
  private final List<FileScanTask> tasks;
  private final @Nullable Expression filter;
  private final ScanMetrics metrics;
  private final @Nullable RowIds ids;

  /** Rows with a smaller lineage row id are skipped; negative: none is. */
  private final long minRowId;

  /** Where {@link #projected} has the lineage row id, when {@link #minRowId} needs it. */
  private final int rowIdAt;

  /** The pin of the snapshot read, released at {@link #close}; null when there is none. */
  private ReadPins.@Nullable Pin pin;

  private long file;
  private int nextTask;
  private CloseableIterable<Record> open;
  private Iterator<Record> records;
  private Iterator<Object[]> kept;
  private Object[] current;

  IcebergRowEnumerator(
      Table table,
      Schema projected,
      List<String> columns,
      List<FileScanTask> tasks,
      @Nullable Expression filter,
      ScanMetrics metrics,
      @Nullable RowIds ids,
      long minRowId) {
    this.table = table;
    this.ids = ids;
    this.minRowId = minRowId;
    Schema read =
        minRowId < 0 || projected.findField(MetadataColumns.ROW_ID.fieldId()) != null
            ? projected
            : TypeUtil.join(projected, new Schema(MetadataColumns.ROW_ID));
    this.projected =
        ids == null ? read : TypeUtil.join(read, new Schema(MetadataColumns.ROW_POSITION));
    this.rowIdAt = this.projected.columns().indexOf(MetadataColumns.ROW_ID);
    this.withPositions = TypeUtil.join(projected, new Schema(MetadataColumns.ROW_POSITION));
    List<Integer> order = new java.util.ArrayList<>();
    for (String c : columns) {
      order.add(projected.findField(c).fieldId());
    }
    this.projectionKey = order + " of " + withPositions.asStruct();
    this.filterKey = PlannedFiles.filterKey(table, filter);
    this.tasks = tasks;
    this.filter = filter;
    this.metrics = metrics;
    this.positions = new int[columns.size()];
    this.types = new Type[columns.size()];
    List<org.apache.iceberg.types.Types.NestedField> fields = projected.columns();
    for (int i = 0; i < columns.size(); i++) {
      for (int j = 0; j < fields.size(); j++) {
        if (fields.get(j).name().equals(columns.get(i))) {
          positions[i] = j;
          types[i] = fields.get(j).type();
        }
      }
    }
  }

  /** This enumerator, which releases {@code pin} when it is closed. */
  IcebergRowEnumerator releasing(ReadPins.Pin pin) {
    this.pin = pin;
    return this;
  }

  @Override
  public Object[] current() {
    return current;
  }

  @Override
  public boolean moveNext() {
    while (true) {
      while ((records == null || !records.hasNext()) && (kept == null || !kept.hasNext())) {
        closeFile();
        if (nextTask >= tasks.size()) {
          current = null;
          return false;
        }
        openFile(tasks.get(nextTask++));
      }
      if (minRowId < 0) {
        current = next();
        return true;
      }
      Record record = records.next(); // a delta read never keeps small files' rows
      metrics.addRowsRead(1);
      Long rowId = (Long) record.get(rowIdAt);
      if (rowId == null) {
        throw new IllegalStateException(
            "a row of "
                + table.name()
                + " has no row id (format "
                + TableUtil.formatVersion(table)
                + ")");
      }
      if (rowId >= minRowId) {
        current = convert(record);
        return true;
      }
    }
  }

  /** The next row of the open file, of its kept rows or its reader. */
  private Object[] next() {
    Object[] row;
    if (kept != null) {
      Object[] values = kept.next(); // shared: copied, never handed out
      row = java.util.Arrays.copyOf(values, positions.length + (ids == null ? 0 : 1));
      if (ids != null) {
        row[positions.length] = RowIds.id(file, (Long) values[positions.length]);
      }
    } else {
      metrics.addRowsRead(1);
      return convert(records.next());
    }
    metrics.addRowsRead(1);
    return row;
  }

  /** A record of the reader as a row: the scan's columns, then the row id when asked for. */
  private Object[] convert(Record record) {
    Object[] row = new Object[positions.length + (ids == null ? 0 : 1)];
    for (int i = 0; i < positions.length; i++) {
      row[i] = IcebergTypes.toInternal(record.get(positions[i]), types[i]);
    }
    if (ids != null) {
      long position = (Long) record.getField(MetadataColumns.ROW_POSITION.name());
      row[positions.length] = RowIds.id(file, position);
    }
    return row;
  }

  private void openFile(FileScanTask task) {
    if (task.file().format() != FileFormat.PARQUET) {
      throw NqlException.of(
          ErrorCode.NOT_SUPPORTED,
          "Cannot read table %s: file format %s is not supported",
          table.name(),
          task.file().format());
    }
    if (ids != null) {
      file = ids.file(task.file().location());
    }
    if (minRowId < 0 && SmallFileRows.keeps(task)) {
      SmallFileRows.Rows rows =
          SmallFileRows.shared().rows(task, projectionKey, filterKey, () -> readAll(task));
      metrics.addRowGroupsRead(rows.rowGroupsRead());
      kept = rows.rows().iterator();
      return;
    }
    open = reader(task, projected, metrics).build();
    records = open.iterator();
  }

  /** A reader of {@code task}'s rows in {@code schema}, skipping row groups by {@link #filter}. */
  private Parquet.ReadBuilder reader(FileScanTask task, Schema schema, ScanMetrics counts) {
    Map<Integer, ?> constants =
        PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant);
    Parquet.ReadBuilder read =
        Parquet.read(table.io().newInputFile(task.file().location()))
            .project(schema)
            .split(task.start(), task.length())
            .caseSensitive(true)
            .createReaderFunc(
                fileSchema ->
                    new CountingReader<>(
                        GenericParquetReaders.buildReader(schema, fileSchema, constants), counts));
    if (filter != null) {
      // Skips row groups only; rows are still filtered above the scan.
      read = read.filter(filter);
    }
    return read;
  }

  /** Every row a read of a small file returns, converted, each with its position at the end. */
  private SmallFileRows.Rows readAll(FileScanTask task) {
    ScanMetrics counts = new ScanMetrics();
    List<Object[]> rows = new java.util.ArrayList<>();
    try (CloseableIterable<Record> all = reader(task, withPositions, counts).build()) {
      for (Record record : all) {
        Object[] row = new Object[positions.length + 1];
        for (int i = 0; i < positions.length; i++) {
          row[i] = IcebergTypes.toInternal(record.get(positions[i]), types[i]);
        }
        row[positions.length] = record.getField(MetadataColumns.ROW_POSITION.name());
        rows.add(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SmallFileRows.Rows(rows, counts.rowGroupsRead());
  }

  private void closeFile() {
    kept = null;
    if (open != null) {
      try {
        open.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        open = null;
        records = null;
      }
    }
  }

  /** Counts the row groups a Parquet reader decodes (it is given each one's pages once). */
  private static final class CountingReader<T> implements ParquetValueReader<T> {
    private final ParquetValueReader<T> delegate;
    private final ScanMetrics metrics;

    @SuppressWarnings("unchecked")
    CountingReader(ParquetValueReader<?> delegate, ScanMetrics metrics) {
      this.delegate = (ParquetValueReader<T>) delegate;
      this.metrics = metrics;
    }

    @Override
    public T read(T reuse) {
      return delegate.read(reuse);
    }

    /** Not called on the root reader (only parents ask their children for their column). */
    @Override
    public ColumnIterator<?> column() {
      throw new UnsupportedOperationException("the root reader has no single column");
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List columns() {
      return delegate.columns();
    }

    @Override
    public void setPageSource(PageReadStore pageStore) {
      metrics.addRowGroupsRead(1);
      delegate.setPageSource(pageStore);
    }
  }

  @Override
  public void reset() {
    closeFile();
    nextTask = 0;
  }

  @Override
  public void close() {
    try {
      closeFile();
    } finally {
      if (pin != null) {
        pin.close();
      }
    }
  }
}
