package io.nql.planner.vector;

import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.policy.Deliveries;
import org.apache.arrow.memory.BufferAllocator;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Runs a {@link VectorPlan}: scanned batches go through the Calcs, then rows are released in order,
 * each one admitted by the rule's meter first (the budget's row-exact cut, through {@link
 * Deliveries#admit(long, int, long)}), then counted against OFFSET and FETCH. Rows are admitted
 * only when the consumer asks for them, so a consumer pays for what it takes, as on the row engine.
 * One scanned batch is held at a time.
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

  VectorPipeline(
      VectorPlan plan,
      ScanMetrics metrics,
      @Nullable Deliveries deliveries,
      BufferAllocator allocator,
      int scanRows) {
    this.plan = plan;
    this.deliveries = deliveries;
    this.allocator = allocator;
    this.scanRows = scanRows;
    this.scan =
        new VectorScan(plan.table, plan.fields, plan.scanTypes, plan.filter, metrics, allocator);
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
        pending = pull();
        position = 0;
        if (pending == null) {
          ended = true;
          break;
        }
        continue;
      }
      long k = Math.min(want, pending.rows - position);
      if (plan.fetch >= 0) {
        k = Math.min(k, plan.offset + plan.fetch - passed);
      }
      if (plan.meterCap >= 0) {
        k = Math.min(k, plan.meterCap - passed);
      }
      if (k <= 0) {
        ended = true;
        break;
      }
      long admitted =
          plan.rule == null ? k : deliveries.admit(plan.rule.ruleId(), plan.rule.version(), k);
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
    return 0;
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
      Batch b = scan.next(scanRows);
      if (b == null) {
        return null;
      }
      for (VectorCalc c : plan.lower) {
        b = c.apply(b, allocator);
      }
      if (b.rows == 0) {
        b.close();
        continue;
      }
      for (VectorCalc c : plan.upper) {
        b = c.apply(b, allocator);
      }
      return b;
    }
  }

  @Override
  public void close() {
    ended = true;
    if (pending != null) {
      pending.close();
      pending = null;
    }
    scan.close();
  }
}
