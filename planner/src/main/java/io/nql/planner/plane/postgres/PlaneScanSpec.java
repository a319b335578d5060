package io.nql.planner.plane.postgres;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.IcebergTypes;
import io.nql.planner.iceberg.RowIds;
import io.nql.planner.store.PlaneSource;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.iceberg.types.Type;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What one {@link PostgresPlaneScan} does at run time: connects to the plane, prepares the scan's
 * statement, binds its values (the query's literals and the statement's {@code ?} parameters, found
 * in the {@link DataContext} as {@code ?0}, {@code ?1}, …) and streams the rows through a
 * server-side cursor ({@value #FETCH_ROWS} rows a round trip) in one read-only transaction: one
 * snapshot of the source per scan, at most a batch of rows in memory. A cancel of the statement
 * (its flag, looked at every {@value #WATCH_MILLIS} ms) cancels the query running on the plane.
 *
 * <p>Failures never show a buyer anything of the provider's: a scan serving an access rule fails
 * naming neither the plane nor its table; the owner's own scan names the plane and the server's
 * reason.
 */
public final class PlaneScanSpec {
  static final String ARRAYS_METHOD = "enumerable";
  static final String SCALARS_METHOD = "scalars";
  static final int FETCH_ROWS = 1000;
  private static final long WATCH_MILLIS = 100;

  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "nql-plane-scan-cancel");
            t.setDaemon(true);
            return t;
          });

  private final PostgresPlaneTable table;
  private final PlaneSql.Query query;
  private final List<PlaneSource.Column> outputs;
  private final int[] keyPositions;
  private final List<PlaneSource.Column> keyColumns;
  private final boolean rowIds;
  private final @Nullable String purpose;

  /**
   * @param outputs the scan's output columns (before the row id)
   * @param fetched the columns the statement selects: the outputs, then key columns for row ids
   */
  PlaneScanSpec(
      PostgresPlaneTable table,
      PlaneSql.Query query,
      List<PlaneSource.Column> outputs,
      List<String> fetched,
      boolean rowIds,
      @Nullable String purpose) {
    this.table = table;
    this.query = query;
    this.outputs = List.copyOf(outputs);
    this.rowIds = rowIds;
    this.purpose = purpose;
    this.keyColumns = table.source().key();
    this.keyPositions = new int[keyColumns.size()];
    for (int i = 0; i < keyColumns.size(); i++) {
      keyPositions[i] = fetched.indexOf(keyColumns.get(i).name()) + 1;
    }
  }

  /** Rows as {@code Object[]} of Calcite internal values, then the row id if the scan has one. */
  public Enumerable<Object[]> enumerable(DataContext root) {
    RowIds ids = rowIds ? (RowIds) root.get(RowIds.CONTEXT_KEY) : null;
    if (rowIds && ids == null) {
      throw new IllegalStateException("a scan with row ids needs the statement's RowIds");
    }
    // The statement's cancel flag, as the executor puts it in the context (a flag nobody sets
    // when there is none).
    AtomicBoolean cancel =
        root.get(DataContext.Variable.CANCEL_FLAG.camelName) instanceof AtomicBoolean flag
            ? flag
            : new AtomicBoolean();
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        return new Rows(root, ids, cancel);
      }
    };
  }

  /** Rows of a one-column scan as bare values (Calcite's {@code SCALAR} row format). */
  public Enumerable<Object> scalars(DataContext root) {
    if (outputs.size() != 1 || rowIds) {
      throw new IllegalStateException("Scalar rows need exactly one column");
    }
    return enumerable(root).select(row -> row[0]);
  }

  /** The failure of the plane as the caller may see it. */
  private NqlException failure(SQLException e, AtomicBoolean cancel) {
    if (cancel.get()) {
      return new NqlException(ErrorCode.QUERY_CANCELED, "Statement was cancelled", e);
    }
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    ErrorCode code =
        state.startsWith("08") ? ErrorCode.EXTERNAL_CONNECTION_FAILED : ErrorCode.DATA_EXCEPTION;
    if (purpose != null) {
      // The provider's plane, table and server messages stay the provider's.
      return new NqlException(
          code,
          "Cannot read an access rule's rows: the data plane that holds them failed; try again"
              + " later or ask the provider",
          e);
    }
    String reason = e.getMessage() == null ? state : e.getMessage().lines().findFirst().orElse("");
    return new NqlException(
        code,
        "Cannot read dataset "
            + table.datasetName()
            + " from data plane "
            + table.source().plane()
            + ": "
            + reason,
        e);
  }

  private NqlException connectFailure(NqlException e) {
    if (purpose == null) {
      return e;
    }
    return new NqlException(
        e.code() == ErrorCode.UNDEFINED_OBJECT ? ErrorCode.EXTERNAL_CONNECTION_FAILED : e.code(),
        "Cannot read an access rule's rows: the data plane that holds them cannot be used; try"
            + " again later or ask the provider",
        e);
  }

  /** One open scan: its connection, statement and cursor. */
  private final class Rows implements Enumerator<Object[]> {
    private final @Nullable RowIds ids;
    private final AtomicBoolean cancel;
    private final Connection connection;
    private final PreparedStatement statement;
    private final ScheduledFuture<?> watch;
    private final ResultSet rows;
    private final @Nullable OpenScans scans;
    private Object[] current;
    private boolean closed;

    Rows(DataContext root, @Nullable RowIds ids, AtomicBoolean cancel) {
      this.ids = ids;
      this.cancel = cancel;
      this.scans = root.get(OpenScans.CONTEXT_KEY) instanceof OpenScans o ? o : null;
      if (cancel.get()) {
        throw new NqlException(ErrorCode.QUERY_CANCELED, "Statement was cancelled");
      }
      try {
        connection = table.connector().connect(table.ownerCompanyId(), table.source().plane());
      } catch (NqlException e) {
        throw connectFailure(e);
      }
      PreparedStatement s = null;
      ScheduledFuture<?> w = null;
      try {
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        s = connection.prepareStatement(query.sql());
        s.setFetchSize(FETCH_ROWS);
        bind(s, root);
        PreparedStatement watched = s;
        w =
            WATCHDOG.scheduleWithFixedDelay(
                () -> {
                  if (cancel.get()) {
                    try {
                      watched.cancel();
                    } catch (SQLException | RuntimeException e) {
                      // the statement ended meanwhile
                    }
                  }
                },
                WATCH_MILLIS,
                WATCH_MILLIS,
                TimeUnit.MILLISECONDS);
        this.statement = s;
        this.watch = w;
        this.rows = s.executeQuery();
        if (scans != null) {
          scans.opened(this);
        }
      } catch (SQLException e) {
        if (w != null) {
          w.cancel(false);
        }
        closeQuietly(s);
        throw failure(e, cancel);
      } catch (RuntimeException e) {
        if (w != null) {
          w.cancel(false);
        }
        closeQuietly(s);
        throw e;
      }
    }

    private void bind(PreparedStatement s, DataContext root) throws SQLException {
      List<PlaneSql.Bind> binds = query.binds();
      for (int i = 0; i < binds.size(); i++) {
        PlaneSql.Bind b = binds.get(i);
        Object v = PlaneSql.value(b, p -> root.get("?" + p));
        if (v == null) {
          s.setNull(i + 1, sqlType(b));
        } else {
          s.setObject(i + 1, v);
        }
      }
    }

    @Override
    public Object[] current() {
      return current;
    }

    @Override
    public boolean moveNext() {
      try {
        if (!rows.next()) {
          return false;
        }
        int n = outputs.size();
        Object[] row = new Object[rowIds ? n + 1 : n];
        for (int i = 0; i < n; i++) {
          row[i] = read(rows, i + 1, outputs.get(i));
        }
        if (rowIds) {
          List<Object> key = new ArrayList<>(keyPositions.length);
          for (int i = 0; i < keyPositions.length; i++) {
            key.add(read(rows, keyPositions[i], keyColumns.get(i)));
          }
          row[n] = ids.key(table.datasetId(), key);
        }
        current = row;
        return true;
      } catch (SQLException e) {
        throw failure(e, cancel);
      }
    }

    @Override
    public void reset() {
      throw new UnsupportedOperationException("a plane scan is read once");
    }

    @Override
    public void close() {
      if (closed) {
        return; // closed by its consumer and by the statement's end
      }
      closed = true;
      if (scans != null) {
        scans.closed(this);
      }
      watch.cancel(false);
      try {
        rows.close();
      } catch (SQLException e) {
        // closing the connection ends it too
      }
      closeQuietly(statement);
    }

    private void closeQuietly(@Nullable PreparedStatement s) {
      try {
        if (s != null) {
          s.close();
        }
      } catch (SQLException e) {
        // the connection goes below
      }
      try {
        connection.rollback();
      } catch (SQLException e) {
        // a broken connection: closing it ends the transaction
      }
      try {
        connection.close();
      } catch (SQLException e) {
        // nothing to keep
      }
    }
  }

  private static int sqlType(PlaneSql.Bind b) {
    return switch (b.type()) {
      case TINYINT, SMALLINT, INTEGER, BIGINT -> java.sql.Types.BIGINT;
      case DECIMAL -> java.sql.Types.NUMERIC;
      case BOOLEAN -> java.sql.Types.BOOLEAN;
      case DATE -> java.sql.Types.DATE;
      default -> java.sql.Types.VARCHAR;
    };
  }

  /**
   * One column of the current row as a Calcite internal value. A value the column's type cannot
   * hold — a numeric {@code NaN}, an infinite date or timestamp — reads as NULL: failing instead
   * would let a row an access rule hides make a buyer's statement fail.
   */
  private static Object read(ResultSet rs, int index, PlaneSource.Column c) throws SQLException {
    Type type = c.type();
    Object v =
        switch (type.typeId()) {
          case INTEGER -> {
            int x = rs.getInt(index);
            yield rs.wasNull() ? null : x;
          }
          case LONG -> {
            long x = rs.getLong(index);
            yield rs.wasNull() ? null : x;
          }
          case FLOAT -> {
            float x = rs.getFloat(index);
            yield rs.wasNull() ? null : x;
          }
          case DOUBLE -> {
            double x = rs.getDouble(index);
            yield rs.wasNull() ? null : x;
          }
          case BOOLEAN -> {
            boolean x = rs.getBoolean(index);
            yield rs.wasNull() ? null : x;
          }
          case DECIMAL -> {
            String text = rs.getString(index);
            yield text == null || text.equals("NaN") ? null : new BigDecimal(text);
          }
          case DATE -> finite(rs.getObject(index, LocalDate.class), LocalDate.MAX, LocalDate.MIN);
          case TIMESTAMP ->
              ((org.apache.iceberg.types.Types.TimestampType) type).shouldAdjustToUTC()
                  ? finite(
                      rs.getObject(index, OffsetDateTime.class),
                      OffsetDateTime.MAX,
                      OffsetDateTime.MIN)
                  : finite(
                      rs.getObject(index, LocalDateTime.class),
                      LocalDateTime.MAX,
                      LocalDateTime.MIN);
          case BINARY -> {
            byte[] b = rs.getBytes(index);
            yield b == null ? null : ByteBuffer.wrap(b);
          }
          default -> rs.getString(index);
        };
    return IcebergTypes.toInternal(v, type);
  }

  private static <T> T finite(T value, T max, T min) {
    return value != null && (value.equals(max) || value.equals(min)) ? null : value;
  }
}
