package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.result.ResultColumn;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/** Results the engine builds itself: an update count, or a small list of rows (SHOW, DESCRIBE). */
final class StatementResults {
  private StatementResults() {}

  static StatementResult count(String statementId, long count) {
    return count(statementId, count, List.of());
  }

  /** An update count with warnings (a run a budget cut short). */
  static StatementResult count(String statementId, long count, List<StatementWarning> warnings) {
    return new Fixed(
        statementId, false, List.of(), List.<Object[]>of().iterator(), count, warnings, 0);
  }

  static StatementResult rows(String statementId, List<ResultColumn> columns, List<Object[]> rows) {
    return new Fixed(statementId, true, columns, rows.iterator(), -1, List.of(), rows.size());
  }

  /** The rows a result built here hands out (0 for an update count), or -1 for another result. */
  static long rowCount(StatementResult result) {
    return result instanceof Fixed f ? f.rowCount : -1;
  }

  private static final class Fixed implements StatementResult {
    private final String statementId;
    private final boolean query;
    private final List<ResultColumn> columns;
    private final Iterator<Object[]> rows;
    private final long count;
    private final List<StatementWarning> warnings;
    private final long rowCount;

    Fixed(
        String statementId,
        boolean query,
        List<ResultColumn> columns,
        Iterator<Object[]> rows,
        long count,
        List<StatementWarning> warnings,
        long rowCount) {
      this.warnings = List.copyOf(warnings);
      this.rowCount = rowCount;
      this.statementId = statementId;
      this.query = query;
      this.columns = columns;
      this.rows = rows;
      this.count = count;
    }

    @Override
    public String statementId() {
      return statementId;
    }

    @Override
    public boolean isQuery() {
      return query;
    }

    @Override
    public List<ResultColumn> columns() {
      return columns;
    }

    @Override
    public long updateCount() {
      return count;
    }

    @Override
    public Object[] next() {
      return rows.hasNext() ? rows.next().clone() : null;
    }

    @Override
    public ArrowReader arrow(BufferAllocator allocator, int batchRows) {
      if (!query) {
        throw new NqlException(
            ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read rows: the statement returned none");
      }
      return ArrowRows.reader(columns, this::next, this::close, allocator, batchRows);
    }

    @Override
    public List<StatementWarning> warnings() {
      return warnings;
    }

    @Override
    public void close() {}
  }
}
