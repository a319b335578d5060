package io.nql.server.cli;

import io.nql.planner.engine.Charge;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A console session over a {@code jdbc:nql:} connection (a gateway, or an embedded warehouse): the
 * driver's statements, cancel and warnings, {@link DatabaseMetaData} for {@code \d}, and the charge
 * read back from the ledger ({@link LedgerCharges}).
 */
final class JdbcConsoleSession implements ConsoleSession {
  private final Connection connection;
  private final String url;
  private final String user;
  private final LedgerCharges ledger;
  private volatile Statement running;

  /**
   * Connects.
   *
   * @param properties {@code user}, {@code password}, session properties
   * @throws SQLException when the connection fails (e.g. 28000, wrong credentials)
   */
  JdbcConsoleSession(String url, Properties properties) throws SQLException {
    this.connection = DriverManager.getConnection(url, properties);
    this.url = url;
    this.user = properties.getProperty("user");
    this.ledger = new LedgerCharges(connection);
  }

  @Override
  public String target() {
    return url;
  }

  @Override
  public String user() {
    return user;
  }

  @Override
  public Execution execute(String sql) throws SQLException {
    LedgerCharges.Mark mark = markOrNull();
    Statement s = connection.createStatement();
    running = s;
    try {
      return new Result(s, s.execute(sql) ? s.getResultSet() : null, mark);
    } catch (SQLException | RuntimeException e) {
      running = null;
      s.close();
      throw e;
    }
  }

  /** The ledger's mark, or null when this user cannot read the ledger (no charge is shown). */
  private LedgerCharges.Mark markOrNull() {
    try {
      return ledger.mark();
    } catch (SQLException e) {
      return null;
    }
  }

  @Override
  public void cancel() {
    Statement s = running;
    if (s != null) {
      try {
        s.cancel();
      } catch (SQLException e) {
        // the statement ended meanwhile, or the gateway cannot be reached: nothing to stop
      }
    }
  }

  @Override
  public List<String> schemas() throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = connection.getMetaData().getSchemas()) {
      while (rs.next()) {
        out.add(rs.getString("TABLE_SCHEM"));
      }
    }
    return out;
  }

  @Override
  public List<TableName> tables() throws SQLException {
    List<TableName> out = new ArrayList<>();
    try (ResultSet rs = connection.getMetaData().getTables(null, null, "%", null)) {
      while (rs.next()) {
        out.add(
            new TableName(
                rs.getString("TABLE_SCHEM"),
                rs.getString("TABLE_NAME"),
                rs.getString("TABLE_TYPE")));
      }
    }
    return out;
  }

  @Override
  public List<Column> columns(TableName table) throws SQLException {
    DatabaseMetaData md = connection.getMetaData();
    String escape = md.getSearchStringEscape();
    List<Column> out = new ArrayList<>();
    try (ResultSet rs =
        md.getColumns(null, literal(table.schema(), escape), literal(table.name(), escape), "%")) {
      while (rs.next()) {
        // the patterns matched exactly; the check keeps a driver without escapes honest
        if (table.schema().equals(rs.getString("TABLE_SCHEM"))
            && table.name().equals(rs.getString("TABLE_NAME"))) {
          out.add(
              new Column(
                  rs.getString("COLUMN_NAME"),
                  Column.typeText(
                      rs.getString("TYPE_NAME"),
                      rs.getInt("COLUMN_SIZE"),
                      rs.getInt("DECIMAL_DIGITS")),
                  rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls));
        }
      }
    }
    return out;
  }

  /** A name as a metadata search pattern that matches only itself. */
  private static String literal(String name, String escape) {
    if (escape == null || escape.isEmpty()) {
      return name;
    }
    return name.replace(escape, escape + escape)
        .replace("_", escape + "_")
        .replace("%", escape + "%");
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // closing at exit: nothing left to report to
    }
  }

  /** A statement's result over JDBC; cells are written as {@code nql sql} writes engine values. */
  private final class Result implements Execution {
    private final Statement statement;
    private final ResultSet rs;
    private final LedgerCharges.Mark mark;
    private final int[] types;
    private boolean budgetCut;

    Result(Statement statement, ResultSet rs, LedgerCharges.Mark mark) throws SQLException {
      this.statement = statement;
      this.rs = rs;
      this.mark = mark;
      if (rs == null) {
        this.types = new int[0];
      } else {
        ResultSetMetaData md = rs.getMetaData();
        this.types = new int[md.getColumnCount()];
        for (int i = 0; i < types.length; i++) {
          types[i] = md.getColumnType(i + 1);
        }
      }
    }

    @Override
    public boolean isQuery() {
      return rs != null;
    }

    @Override
    public long updateCount() {
      try {
        return Math.max(0, statement.getLargeUpdateCount());
      } catch (SQLException e) {
        return 0;
      }
    }

    @Override
    public List<String> columnNames() {
      List<String> out = new ArrayList<>();
      try {
        ResultSetMetaData md = rs.getMetaData();
        for (int i = 1; i <= types.length; i++) {
          out.add(md.getColumnLabel(i));
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      return out;
    }

    @Override
    public boolean[] numeric() {
      boolean[] out = new boolean[types.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = ResultPrinter.isNumeric(types[i]);
      }
      return out;
    }

    @Override
    public String[] next() throws SQLException {
      if (!rs.next()) {
        return null;
      }
      String[] cells = new String[types.length];
      for (int i = 0; i < cells.length; i++) {
        cells[i] = ResultPrinter.text(value(i + 1, types[i]));
      }
      return cells;
    }

    /** A value as the engine hands it out (java.time for dates and times), for the same text. */
    private Object value(int column, int type) throws SQLException {
      return switch (type) {
        case Types.TIMESTAMP -> rs.getObject(column, LocalDateTime.class);
        case Types.TIMESTAMP_WITH_TIMEZONE -> rs.getObject(column, OffsetDateTime.class);
        case Types.DATE -> rs.getObject(column, LocalDate.class);
        case Types.TIME -> rs.getObject(column, LocalTime.class);
        default -> rs.getObject(column);
      };
    }

    @Override
    public List<SQLWarning> warnings() throws SQLException {
      List<SQLWarning> out = new ArrayList<>();
      for (SQLWarning w = statement.getWarnings(); w != null; w = w.getNextWarning()) {
        out.add(w);
        budgetCut |= "01N01".equals(w.getSQLState());
      }
      return out;
    }

    @Override
    public Charge charge() {
      if (mark == null) {
        return null;
      }
      try {
        return ledger.since(mark, budgetCut);
      } catch (SQLException e) {
        // the statement succeeded; an unreadable ledger only means no charge line
        return null;
      }
    }

    @Override
    public void close() throws SQLException {
      running = null;
      try {
        if (rs != null) {
          rs.close();
        }
      } finally {
        statement.close();
      }
    }
  }
}
