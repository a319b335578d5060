package io.nql.planner.vector;

import io.nql.planner.exec.CancelChecks;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.policy.Deliveries;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.iceberg.FileScanTask;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Runs a {@link VectorPlan}: scanned batches go through the Calcs, then rows are released in order,
 * each one admitted by the rule's meter first (the budget's row-exact cut, through {@link
 * Deliveries#admit(long, int, long)}), then counted against OFFSET and FETCH. As on the row engine,
 * budget for a row is {@link Deliveries#hold held} before the batch it is in is read, so the cut
 * never depends on whether more rows exist. Rows are admitted only when the consumer asks for them,
 * so a consumer pays for what it takes, as on the row engine. One scanned batch is held at a time.
 */
final class VectorPipeline implements AutoCloseable {
  private final VectorPlan plan;
  private final VectorScan scan;
  private final @Nullable Deliveries deliveries;
  private final BufferAllocator allocator;
  private final int scanRows;
  private Batch pending;
  private int position;
  private int start;
  private long passed;
  private long skipped;
  private boolean ended;
  private boolean held;
  private final long meterCap;
  private final AtomicBoolean cancel;
  private final ScanMetrics metrics;

  /**
   * Rows read on the statement's thread (decoded or passed over by the scan's key filter) after
   * which the rest of the scan is read ahead.
   */
  private static final long READ_AHEAD_AFTER = 16_384;

  /** Threads to read the rest of a long scan with; 0 once decided. */
  private int threads;

  /** The statement's rows read when this pipeline read its first batch, or -1 before. */
  private long readBefore = -1;

  private @Nullable ReadAhead readAhead;

  VectorPipeline(
      VectorPlan plan,
      ScanMetrics metrics,
      @Nullable Deliveries deliveries,
      BufferAllocator allocator,
      int scanRows,
      long meterCap,
      AtomicBoolean cancel,
      int threads) {
    this.cancel = cancel;
    this.threads = threads;
    this.metrics = metrics;
    this.plan = plan;
    this.meterCap = meterCap;
    this.deliveries = deliveries;
    this.allocator = allocator;
    this.scanRows = scanRows;
    this.scan =
        new VectorScan(
            plan.table,
            plan.fields,
            plan.scanTypes,
            plan.filter,
            metrics,
            allocator,
            plan.scanReads);
  }

  /**
   * Releases up to {@code want} more rows of the current batch.
   *
   * @return how many rows, from {@link #start()} in {@link #batch()}; 0 at the end
   */
  int advance(int want) {
    while (!ended) {
      if (pending != null && position >= pending.rows) {
        pending.close();
        pending = null;
      }
      if (pending == null) {
        // The cap first, then the budget, then the files: at a cap nothing more is read or held,
        // and no row is read before the budget for it is held.
        if (remaining() <= 0 || !hold()) {
          ended = true;
          break;
        }
        pending = pull();
        position = 0;
        if (pending == null) {
          ended = true;
          break;
        }
        continue;
      }
      long k = Math.min(Math.min(want, pending.rows - position), remaining());
      if (k <= 0 || !hold()) {
        ended = true;
        break;
      }
      long admitted = k;
      if (plan.rule != null) {
        held = false;
        admitted = deliveries.admit(plan.rule.ruleId(), plan.rule.version(), k);
      }
      int first = position;
      position += (int) admitted;
      passed += admitted;
      if (admitted < k) {
        ended = true; // the budget cut the delivery
      }
      long skip = Math.min(admitted, plan.offset - skipped);
      skipped += skip;
      int count = (int) (admitted - skip);
      if (count > 0) {
        start = first + (int) skip;
        return count;
      }
    }
    releaseHold();
    return 0;
  }

  /** Rows the LIMIT and the meter's cap still let through (saturating: no overflow). */
  private long remaining() {
    long left = Long.MAX_VALUE;
    if (plan.fetch >= 0) {
      long end = plan.offset + plan.fetch;
      left = end < 0 ? Long.MAX_VALUE : end - passed;
    }
    if (meterCap >= 0) {
      left = Math.min(left, meterCap - passed);
    }
    return left;
  }

  /** Holds budget for the next row of the rule (see {@link Deliveries#hold}); true without one. */
  private boolean hold() {
    if (plan.rule == null || held) {
      return true;
    }
    held = deliveries.hold(plan.rule.ruleId(), plan.rule.version());
    return held;
  }

  private void releaseHold() {
    if (held) {
      held = false;
      deliveries.release(plan.rule.ruleId(), plan.rule.version());
    }
  }

  /** The batch that {@link #advance} released rows of. */
  Batch batch() {
    return pending;
  }

  /** The first row {@link #advance} released. */
  int start() {
    return start;
  }

  /** Hands the current batch over to the caller (when all of it was released). */
  Batch takeBatch() {
    Batch b = pending;
    pending = null;
    return b;
  }

  private @Nullable Batch pull() {
    while (true) {
      // A filter that keeps few rows reads many batches per batch released: look at the cancel
      // flag for each one read.
      CancelChecks.check(cancel);
      if (readAhead != null) {
        Batch b = scan.nextInOpenUnit(scanRows);
        if (b == null) {
          return readAhead.next(cancel);
        }
        b = process(b);
        if (b != null) {
          return b;
        }
        continue;
      }
      if (readBefore < 0) {
        readBefore = metrics.rowsRead();
      }
      Batch b = scan.next(scanRows);
      if (b == null) {
        return null;
      }
      b = process(b);
      long read = metrics.rowsRead() - readBefore;
      if (read >= Math.min(2L * scanRows, READ_AHEAD_AFTER) && threads > 1) {
        // a long scan: the units not yet opened are read ahead on several threads
        List<FileScanTask> units = scan.units();
        if (units.size() - scan.nextUnit() > 0) {
          readAhead =
              ReadAhead.start(
                  units.subList(scan.nextUnit(), units.size()),
                  readAheadSource(),
                  threads,
                  scanRows,
                  2);
          if (readAhead != null) {
            scan.takeRest();
            metrics.addReadAhead();
          }
        }
        threads = 0;
      }
      if (b != null) {
        return b;
      }
    }
  }

  /** A scanned batch after the Calcs (filters first): null when no row is left. */
  private @Nullable Batch process(Batch b) {
    for (VectorCalc c : plan.lower) {
      b = c.apply(b, allocator);
    }
    if (b.rows == 0) {
      b.close();
      return null;
    }
    for (VectorCalc c : plan.upper) {
      b = c.apply(b, allocator);
    }
    return b;
  }

  private ReadAhead.Source readAheadSource() {
    return new ReadAhead.Source() {
      @Override
      public FileBatches open(FileScanTask unit) {
        return scan.openFile(unit);
      }

      @Override
      public @Nullable Batch process(Batch raw) {
        return VectorPipeline.this.process(raw);
      }
    };
  }

  @Override
  public void close() {
    ended = true;
    releaseHold();
    if (pending != null) {
      pending.close();
      pending = null;
    }
    try {
      if (readAhead != null) {
        readAhead.close();
      }
    } finally {
      scan.close();
    }
  }
}
