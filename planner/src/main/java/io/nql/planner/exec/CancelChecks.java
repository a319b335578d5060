package io.nql.planner.exec;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.plan.ErrorMapper;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;

/**
 * Row streams that stop when the statement's {@link DataContext.Variable#CANCEL_FLAG} is set.
 * Calcite's enumerable operators (joins, aggregates, sorts) do not look at the flag themselves, so
 * a statement that computes for long before its first row would not notice a cancel; the executor
 * puts a check on every edge between operators (see {@link EnumerableCancelCheck}).
 */
public final class CancelChecks {
  /** Rows passed between two looks at the flag (a volatile read; cheap, but not free). */
  static final int EVERY = 256;

  private CancelChecks() {}

  /**
   * The rows of {@code input}, failing with {@code QUERY_CANCELED} once the statement's cancel flag
   * is set. Called by generated code.
   */
  public static <T> Enumerable<T> checked(Enumerable<T> input, DataContext root) {
    Object flag = root.get(DataContext.Variable.CANCEL_FLAG.camelName);
    if (!(flag instanceof AtomicBoolean cancel)) {
      return input;
    }
    return new AbstractEnumerable<T>() {
      @Override
      public Enumerator<T> enumerator() {
        return new Checked<>(input.enumerator(), cancel);
      }

      /**
       * The rows as a list whose reads look at the flag too: an operator that materializes its
       * input and then loops over it many times (a nested-loop join's inner side for RIGHT and FULL
       * joins) would otherwise loop unchecked.
       */
      @Override
      public List<T> toList() {
        return new CheckedList<>(super.toList(), cancel);
      }
    };
  }

  /** Throws {@code QUERY_CANCELED} when {@code flag} is set. */
  public static void check(AtomicBoolean flag) {
    if (flag.get()) {
      throw cancelled();
    }
  }

  private static NqlException cancelled() {
    return new NqlException(ErrorCode.QUERY_CANCELED, "Statement was cancelled");
  }

  /** The statement's cancel flag in {@code context}; a flag nobody sets when it has none. */
  public static AtomicBoolean flag(DataContext context) {
    return context.get(DataContext.Variable.CANCEL_FLAG.camelName) instanceof AtomicBoolean flag
        ? flag
        : new AtomicBoolean();
  }

  /**
   * The error for a failure while planning: {@code QUERY_CANCELED} when the statement was cancelled
   * meanwhile (Calcite's planners end a cancelled search with their own exceptions, e.g. one that
   * no plan was found), else the failure mapped as any other.
   */
  static NqlException whilePlanning(AtomicBoolean flag, Throwable failure) {
    if (flag.get()) {
      return cancelled();
    }
    return ErrorMapper.planning(failure);
  }

  private static final class CheckedList<T> extends AbstractList<T> implements RandomAccess {
    private final List<T> rows;
    private final AtomicBoolean cancel;

    CheckedList(List<T> rows, AtomicBoolean cancel) {
      this.rows = rows;
      this.cancel = cancel;
    }

    @Override
    public T get(int index) {
      if (index % EVERY == 0) {
        check(cancel);
      }
      return rows.get(index);
    }

    @Override
    public int size() {
      return rows.size();
    }
  }

  private static final class Checked<T> implements Enumerator<T> {
    private final Enumerator<T> input;
    private final AtomicBoolean cancel;
    private int untilCheck;

    Checked(Enumerator<T> input, AtomicBoolean cancel) {
      this.input = input;
      this.cancel = cancel;
    }

    @Override
    public T current() {
      return input.current();
    }

    @Override
    public boolean moveNext() {
      if (--untilCheck < 0) {
        untilCheck = EVERY;
        check(cancel);
      }
      return input.moveNext();
    }

    @Override
    public void reset() {
      input.reset();
    }

    @Override
    public void close() {
      input.close();
    }
  }
}
