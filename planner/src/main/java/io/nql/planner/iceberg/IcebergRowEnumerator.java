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
 * the pushed filter rules out by their statistics, dictionaries or bloom filters.
 */
final class IcebergRowEnumerator implements Enumerator<Object[]> {
  private final Table table;
  private final Schema projected;
  private final int[] positions;
  private final Type[] types;
  private final List<FileScanTask> tasks;
  private final @Nullable Expression filter;
  private final ScanMetrics metrics;
  private final @Nullable RowIds ids;
  private long file;
  private int nextTask;
  private CloseableIterable<Record> open;
  private Iterator<Record> records;
  private Object[] current;

  IcebergRowEnumerator(
      Table table,
      Schema projected,
      List<String> columns,
      List<FileScanTask> tasks,
      @Nullable Expression filter,
      ScanMetrics metrics,
      @Nullable RowIds ids) {
    this.table = table;
    this.ids = ids;
    this.projected =
        ids == null
            ? projected
            : TypeUtil.join(projected, new Schema(MetadataColumns.ROW_POSITION));
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

  @Override
  public Object[] current() {
    return current;
  }

  @Override
  public boolean moveNext() {
    while (records == null || !records.hasNext()) {
      closeFile();
      if (nextTask >= tasks.size()) {
        current = null;
        return false;
      }
      openFile(tasks.get(nextTask++));
    }
    Record record = records.next();
    Object[] row = new Object[positions.length + (ids == null ? 0 : 1)];
    for (int i = 0; i < positions.length; i++) {
      row[i] = IcebergTypes.toInternal(record.get(positions[i]), types[i]);
    }
    if (ids != null) {
      long position = (Long) record.getField(MetadataColumns.ROW_POSITION.name());
      row[positions.length] = RowIds.id(file, position);
    }
    metrics.addRowsRead(1);
    current = row;
    return true;
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
    Map<Integer, ?> constants =
        PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant);
    Parquet.ReadBuilder read =
        Parquet.read(table.io().newInputFile(task.file().location()))
            .project(projected)
            .split(task.start(), task.length())
            .caseSensitive(true)
            .createReaderFunc(
                fileSchema ->
                    new CountingReader<>(
                        GenericParquetReaders.buildReader(projected, fileSchema, constants),
                        metrics));
    if (filter != null) {
      // Skips row groups only; rows are still filtered above the scan.
      read = read.filter(filter);
    }
    open = read.build();
    records = open.iterator();
  }

  private void closeFile() {
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
    closeFile();
  }
}
