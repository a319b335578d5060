package io.nql.planner.export;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.util.Iterator;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Every row of a table at one snapshot (its current one when opened), read file by file with its
 * delete files applied: a write committed while the export runs is not seen.
 */
public final class TableRows implements ExportRows {
  private final Schema schema;
  private final @Nullable CloseableIterable<Record> records;
  private final Iterator<Record> iterator;
  private final long expected;

  /** Keeps the snapshot read from snapshot expiry until {@link #close}; null without snapshot. */
  private final io.nql.planner.iceberg.ReadPins.@Nullable Pin pin;

  private TableRows(Table table) {
    Snapshot snapshot = table.currentSnapshot();
    this.pin =
        snapshot == null
            ? null
            : io.nql.planner.iceberg.ReadPins.shared()
                .pin(table.uuid().toString(), snapshot.snapshotId());
    // the schema the snapshot's rows are read with (the scan's), which names every column
    this.schema =
        snapshot == null
            ? table.schema()
            : table.newScan().useSnapshot(snapshot.snapshotId()).schema();
    if (snapshot == null) {
      this.records = null;
      this.iterator = java.util.Collections.emptyIterator();
      this.expected = 0;
    } else {
      this.records = IcebergGenerics.read(table).useSnapshot(snapshot.snapshotId()).build();
      this.iterator = records.iterator();
      String total = snapshot.summary().get("total-records");
      this.expected = total == null ? -1 : Long.parseLong(total);
    }
  }

  /** The rows of {@code table}'s current snapshot (none when it has no snapshot yet). */
  public static TableRows of(Table table) {
    return new TableRows(table);
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public Object @Nullable [] next() {
    if (!iterator.hasNext()) {
      return null;
    }
    Record r = iterator.next();
    Object[] row = new Object[r.size()];
    for (int i = 0; i < row.length; i++) {
      row[i] = r.get(i);
    }
    return row;
  }

  @Override
  public long expected() {
    return expected;
  }

  @Override
  public void close() {
    if (pin != null) {
      pin.close();
    }
    if (records != null) {
      try {
        records.close();
      } catch (IOException e) {
        throw new NqlException(ErrorCode.IO_ERROR, "Cannot read the dataset's files", e);
      }
    }
  }
}
