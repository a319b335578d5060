package io.nql.server.cli;

import io.nql.planner.engine.Charge;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.engine.StatementWarning;
import io.nql.planner.engine.VisibleTable;
import io.nql.planner.error.NqlException;
import io.nql.planner.result.ResultColumn;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.List;

/**
 * A console session on an engine in this process (the warehouse options of {@code nql sql}): a
 * trusted session of the user, whose results carry their exact charge.
 */
final class EngineConsoleSession implements ConsoleSession {
  private final NqlSession session;
  private final String target;
  private final Runnable onClose;
  private final ProgressBar progress;

  /**
   * A console session on an engine session.
   *
   * @param target the warehouse, for the banner
   * @param onClose what closing runs after closing the session (e.g. closing its engine)
   * @param progress where long statements (COPY INTO, OPTIMIZE, VACUUM) draw their progress
   */
  EngineConsoleSession(NqlSession session, String target, Runnable onClose, ProgressBar progress) {
    this.session = session;
    this.target = target;
    this.onClose = onClose;
    this.progress = progress;
    session.setProgressListener(progress);
  }

  /** Sets a session property (e.g. {@code budget_usd}). */
  void setProperty(String name, String value) throws SQLException {
    try {
      session.setProperty(name, value);
    } catch (NqlException e) {
      throw sql(e);
    }
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public String user() {
    return session.userName();
  }

  @Override
  public Execution execute(String sql) throws SQLException {
    try {
      return new Result(session.execute(sql));
    } catch (NqlException e) {
      throw sql(e);
    } finally {
      progress.finish();
    }
  }

  @Override
  public void cancel() {
    session.cancel();
  }

  @Override
  public List<String> schemas() throws SQLException {
    try {
      return session.visibleSchemas();
    } catch (NqlException e) {
      throw sql(e);
    }
  }

  @Override
  public List<TableName> tables() throws SQLException {
    List<TableName> out = new ArrayList<>();
    for (VisibleTable t : visible()) {
      out.add(new TableName(t.schema(), t.name(), t.type()));
    }
    return out;
  }

  @Override
  public List<Column> columns(TableName table) throws SQLException {
    for (VisibleTable t : visible()) {
      if (t.schema().equals(table.schema()) && t.name().equals(table.name())) {
        List<Column> out = new ArrayList<>();
        for (ResultColumn c : t.columns()) {
          out.add(
              new Column(
                  c.name(), Column.typeText(c.typeName(), c.precision(), c.scale()), c.nullable()));
        }
        return out;
      }
    }
    return List.of();
  }

  private List<VisibleTable> visible() throws SQLException {
    try {
      return session.visibleTables();
    } catch (NqlException e) {
      throw sql(e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } finally {
      onClose.run();
    }
  }

  /** The engine's error as JDBC's: the same SQLSTATE and message. */
  static SQLException sql(NqlException e) {
    return new SQLException(e.getMessage(), e.sqlState());
  }

  /** An engine result; its cells are written as {@code nql sql} writes them. */
  private static final class Result implements Execution {
    private final StatementResult result;

    Result(StatementResult result) {
      this.result = result;
    }

    @Override
    public boolean isQuery() {
      return result.isQuery();
    }

    @Override
    public long updateCount() {
      return result.updateCount();
    }

    @Override
    public List<String> columnNames() {
      return result.columns().stream().map(ResultColumn::name).toList();
    }

    @Override
    public boolean[] numeric() {
      List<ResultColumn> cols = result.columns();
      boolean[] out = new boolean[cols.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = ResultPrinter.isNumeric(cols.get(i).jdbcType());
      }
      return out;
    }

    @Override
    public String[] next() throws SQLException {
      try {
        return ResultPrinter.texts(result.next());
      } catch (NqlException e) {
        throw sql(e);
      }
    }

    @Override
    public List<SQLWarning> warnings() {
      List<SQLWarning> out = new ArrayList<>();
      for (StatementWarning w : result.warnings()) {
        out.add(new SQLWarning(w.message(), w.sqlState()));
      }
      return out;
    }

    @Override
    public Charge charge() {
      return result.charge();
    }

    @Override
    public void close() throws SQLException {
      try {
        result.close();
      } catch (NqlException e) {
        throw sql(e);
      }
    }
  }
}
