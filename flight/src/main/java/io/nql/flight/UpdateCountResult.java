package io.nql.flight;

import io.nql.planner.engine.ArrowRows;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.engine.StatementWarning;
import io.nql.planner.result.ResultColumn;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * A statement that changed something (DDL, admin, COPY INTO), run as a query: one row with its
 * update count, so clients that send every statement as a query (DB-API's {@code execute}) get a
 * result.
 */
final class UpdateCountResult implements StatementResult {
  static final String COLUMN = "update_count";

  private final StatementResult update;
  private boolean read;

  UpdateCountResult(StatementResult update) {
    this.update = update;
  }

  @Override
  public String statementId() {
    return update.statementId();
  }

  @Override
  public boolean isQuery() {
    return true;
  }

  @Override
  public List<ResultColumn> columns() {
    return List.of(ResultColumn.bigint(COLUMN, false));
  }

  @Override
  public long updateCount() {
    return -1;
  }

  @Override
  public synchronized Object[] next() {
    if (read) {
      return null;
    }
    read = true;
    return new Object[] {update.updateCount()};
  }

  @Override
  public ArrowReader arrow(BufferAllocator allocator, int batchRows) {
    return ArrowRows.reader(
        List.of(ResultColumn.bigint(COLUMN, false)), this::next, this::close, allocator, batchRows);
  }

  @Override
  public List<StatementWarning> warnings() {
    return update.warnings();
  }

  @Override
  public void close() {
    update.close();
  }
}
