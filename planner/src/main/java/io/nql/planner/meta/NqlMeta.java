package io.nql.planner.meta;

import io.nql.planner.engine.FrontEnd;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.PreparedInfo;
import io.nql.planner.engine.SessionFactory;
import io.nql.planner.engine.SessionProperty;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.engine.StatementWarning;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.result.ResultColumn;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * Avatica {@link Meta} over engine sessions. One Avatica connection is one {@link NqlSession};
 * statements keep their open result and hand it out in frames ({@link ResultFrames}): columnar ones
 * ({@link ColumnarFrame}) to clients that ask for them when they connect, standard Avatica frames
 * to any other. Every error leaves as an Avatica exception carrying the engine's SQLSTATE and
 * one-line message.
 *
 * <p>Calls on one statement run one at a time (a client may fetch the next frame of a result on
 * another thread while it reads the current one). A call that gives up a statement's result
 * (executing it again, closing it or its connection) first stops a frame being produced for it.
 */
public final class NqlMeta extends MetadataCalls {
  private static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone(ZoneOffset.UTC));

  private final SessionFactory sessions;
  private final boolean trustedLocal;
  private final FrameSizes frameSizes;
  private final boolean columnarFrames;
  private final BufferAllocator allocator = new RootAllocator();
  private final ConcurrentMap<String, Conn> connections = new ConcurrentHashMap<>();
  private final AtomicInteger statementIds = new AtomicInteger();

  /**
   * @param sessions opens a session per connection
   * @param trustedLocal when true, a connection without a password opens a trusted session (for
   *     in-process use only; a network server must pass false)
   * @param frameSizes how many rows go in a frame
   * @param columnarFrames whether clients that ask for columnar frames get them (only where the
   *     serialization carries their byte string as bytes: protobuf, or in-process)
   */
  public NqlMeta(
      SessionFactory sessions,
      boolean trustedLocal,
      FrameSizes frameSizes,
      boolean columnarFrames) {
    this.sessions = sessions;
    this.trustedLocal = trustedLocal;
    this.frameSizes = frameSizes;
    this.columnarFrames = columnarFrames;
  }

  private static final class Conn {
    final NqlSession session;
    final boolean columnar;
    final ConcurrentMap<Integer, Stmt> statements = new ConcurrentHashMap<>();
    final ConnectionPropertiesImpl props =
        // auto-commit (there are no transactions), not read-only (DDL and COPY work), no default
        // schema (every table name is schema-qualified)
        new ConnectionPropertiesImpl(
            true, false, java.sql.Connection.TRANSACTION_NONE, SessionCatalog.CATALOG, null);

    Conn(NqlSession session, boolean columnar) {
      this.session = session;
      this.columnar = columnar;
    }
  }

  /** A statement; its fields change under its own lock, except where marked volatile. */
  private static final class Stmt {
    final int id;
    String sql;
    PreparedInfo prepared;

    /** The open result of the latest execution, or null. */
    volatile ResultFrames frames;

    /** The warnings of a closed result. */
    volatile List<StatementWarning> warnings = List.of();

    /** Whether a call executes the statement now (read by {@link NqlMeta#cancel}). */
    volatile boolean executing;

    Stmt(int id) {
      this.id = id;
    }

    /** Closes the open result (under the statement's lock), keeping its warnings. */
    void closeResult() {
      ResultFrames f = frames;
      if (f != null) {
        frames = null;
        try {
          f.close();
        } finally {
          warnings = f.warnings();
        }
      }
    }

    /** From any thread: stops a frame being produced for the open result, which is given up. */
    void abandon() {
      ResultFrames f = frames;
      if (f != null) {
        f.abandon();
      }
    }

    /** The warnings of the latest execution so far, from any thread. */
    List<StatementWarning> currentWarnings() {
      ResultFrames f = frames;
      return f != null ? f.warnings() : warnings;
    }

    boolean streaming() {
      ResultFrames f = frames;
      return f != null && !f.done();
    }
  }

  private Conn conn(String connectionId) {
    Conn c = connections.get(connectionId);
    if (c == null) {
      throw MetaErrors.toAvatica(
          new NqlException(ErrorCode.INVALID_AUTHORIZATION, "Connection is closed or unknown"));
    }
    return c;
  }

  private Stmt stmt(StatementHandle h) throws NoSuchStatementException {
    Stmt s = conn(h.connectionId).statements.get(h.id);
    if (s == null) {
      throw new NoSuchStatementException(h);
    }
    return s;
  }

  /** The session behind an open connection (for front ends that need it, e.g. cancel). */
  @Override
  public NqlSession session(String connectionId) {
    return conn(connectionId).session;
  }

  // --- connections

  @Override
  public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    guard(
        () -> {
          if (connections.containsKey(ch.id)) {
            return null;
          }
          String user = info == null ? null : info.get("user");
          String password = info == null ? null : info.get("password");
          if (user == null || user.isEmpty()) {
            throw new NqlException(
                ErrorCode.INVALID_AUTHORIZATION, "Cannot connect: no user given");
          }
          NqlSession session =
              password == null && trustedLocal
                  ? sessions.trusted(user)
                  : sessions.login(user, password == null ? new char[0] : password.toCharArray());
          try {
            for (SessionProperty p : SessionProperty.values()) {
              if (info.get(p.key()) != null) {
                session.setProperty(p.key(), info.get(p.key()));
              }
            }
            if (FrontEnd.CONSOLE_APPLICATION.equals(info.get(FrontEnd.APPLICATION_PROPERTY))) {
              session.frontEnd(FrontEnd.CONSOLE);
            }
          } catch (RuntimeException e) {
            session.close();
            throw e;
          }
          boolean columnar =
              columnarFrames && ColumnarFrame.VERSION_1.equals(info.get(ColumnarFrame.PROPERTY));
          connections.put(ch.id, new Conn(session, columnar));
          return null;
        });
  }

  @Override
  public void closeConnection(ConnectionHandle ch) {
    Conn c = connections.remove(ch.id);
    if (c != null) {
      c.statements.values().forEach(Stmt::abandon);
      for (Stmt s : c.statements.values()) {
        synchronized (s) {
          s.closeResult();
        }
      }
      c.statements.clear();
      c.session.close();
    }
  }

  @Override
  public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties props) {
    Conn c = conn(ch.id);
    c.props.merge(props);
    return c.props;
  }

  @Override
  public void commit(ConnectionHandle ch) {
    conn(ch.id);
  }

  @Override
  public void rollback(ConnectionHandle ch) {
    conn(ch.id);
  }

  @Override
  public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
    return DatabaseProperties.all();
  }

  // --- statements

  @Override
  public StatementHandle createStatement(ConnectionHandle ch) {
    Conn c = conn(ch.id);
    int id = statementIds.incrementAndGet();
    c.statements.put(id, new Stmt(id));
    return new StatementHandle(ch.id, id, null);
  }

  @Override
  public void closeStatement(StatementHandle h) {
    Conn c = connections.get(h.connectionId);
    if (c != null) {
      Stmt s = c.statements.remove(h.id);
      if (s != null) {
        s.abandon();
        synchronized (s) {
          s.closeResult();
        }
      }
    }
  }

  @Override
  public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    return guard(
        () -> {
          Conn c = conn(ch.id);
          PreparedInfo info = c.session.prepare(sql);
          int id = statementIds.incrementAndGet();
          Stmt s = new Stmt(id);
          s.sql = sql;
          s.prepared = info;
          c.statements.put(id, s);
          StatementHandle h = new StatementHandle(ch.id, id, signature(sql, info));
          return h;
        });
  }

  private static Signature signature(String sql, PreparedInfo info) {
    List<AvaticaParameter> params = new ArrayList<>();
    for (ResultColumn p : info.parameters()) {
      params.add(
          new AvaticaParameter(
              true,
              p.precision(),
              p.scale(),
              p.jdbcType(),
              p.typeName(),
              Object.class.getName(),
              "?"));
    }
    return Signature.create(
        Frames.columns(info.columns()),
        sql,
        params,
        CursorFactory.LIST,
        info.query() ? StatementType.SELECT : StatementType.OTHER_DDL);
  }

  @Deprecated
  @Override
  public ExecuteResult prepareAndExecute(
      StatementHandle h, String sql, long maxRowCount, PrepareCallback callback)
      throws NoSuchStatementException {
    return prepareAndExecute(h, sql, maxRowCount, -1, callback);
  }

  @Override
  public ExecuteResult prepareAndExecute(
      StatementHandle h,
      String sql,
      long maxRowCount,
      int maxRowsInFirstFrame,
      PrepareCallback callback)
      throws NoSuchStatementException {
    Stmt s = stmt(h);
    Conn c = conn(h.connectionId);
    s.abandon();
    synchronized (s) {
      return guard(
          () -> {
            s.closeResult();
            s.warnings = List.of();
            s.sql = sql;
            s.executing = true;
            try {
              StatementResult r = c.session.execute(sql);
              return new ExecuteResult(List.of(start(h, c, s, r, maxRowsInFirstFrame)));
            } finally {
              s.executing = false;
            }
          });
    }
  }

  @Override
  public ExecuteResult execute(
      StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
      throws NoSuchStatementException {
    Stmt s = stmt(h);
    Conn c = conn(h.connectionId);
    s.abandon();
    synchronized (s) {
      return guard(
          () -> {
            s.closeResult();
            s.warnings = List.of();
            List<Object> values = new ArrayList<>();
            if (parameterValues != null) {
              for (TypedValue v : parameterValues) {
                values.add(Parameters.toEngine(v, UTC));
              }
            }
            s.executing = true;
            try {
              StatementResult r = c.session.execute(s.sql, values);
              return new ExecuteResult(List.of(start(h, c, s, r, maxRowsInFirstFrame)));
            } finally {
              s.executing = false;
            }
          });
    }
  }

  @Deprecated
  @Override
  public ExecuteResult execute(
      StatementHandle h, List<TypedValue> parameterValues, long maxRowCount)
      throws NoSuchStatementException {
    return execute(h, parameterValues, -1);
  }

  /** Opens the result of an execution (under the statement's lock) with its first frame. */
  private MetaResultSet start(
      StatementHandle h, Conn c, Stmt s, StatementResult r, int maxRowsInFirstFrame) {
    if (!r.isQuery()) {
      long count = r.updateCount();
      s.warnings = r.warnings(); // e.g. a materialized view's run cut short by its budget
      r.close();
      return MetaResultSet.count(h.connectionId, h.id, count);
    }
    ResultFrames frames;
    try {
      frames =
          c.columnar && ColumnarFrame.supports(r.columns())
              ? ResultFrames.columnar(r, frameSizes, allocator)
              : ResultFrames.standard(r, frameSizes);
    } catch (RuntimeException e) {
      r.close();
      throw e;
    }
    s.frames = frames;
    Signature sig =
        Signature.create(
            Frames.columns(r.columns()),
            s.sql,
            List.of(),
            CursorFactory.LIST,
            StatementType.SELECT);
    Frame first = frames.first(maxRowsInFirstFrame);
    return MetaResultSet.create(h.connectionId, h.id, false, sig, first);
  }

  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
      throws NoSuchStatementException, MissingResultsException {
    Stmt s = stmt(h);
    synchronized (s) {
      ResultFrames frames = s.frames;
      if (frames == null) {
        throw new MissingResultsException(h);
      }
      return guard(() -> frames.next(offset, fetchMaxRowCount));
    }
  }

  @Override
  public boolean syncResults(StatementHandle h, QueryState state, long offset)
      throws NoSuchStatementException {
    stmt(h);
    throw MetaErrors.toAvatica(
        new NqlException(
            ErrorCode.NOT_SUPPORTED, "Cannot resume a result at an offset: not supported"));
  }

  @Override
  public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands)
      throws NoSuchStatementException {
    Stmt s = stmt(h);
    NqlSession session = conn(h.connectionId).session;
    s.abandon();
    synchronized (s) {
      return guard(
          () -> {
            s.closeResult();
            long[] counts = new long[sqlCommands.size()];
            for (int i = 0; i < counts.length; i++) {
              try (StatementResult r = session.execute(sqlCommands.get(i))) {
                counts[i] = r.isQuery() ? -1 : r.updateCount();
              }
            }
            return new ExecuteBatchResult(counts);
          });
    }
  }

  @Override
  public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues)
      throws NoSuchStatementException {
    Stmt s = stmt(h);
    NqlSession session = conn(h.connectionId).session;
    return guard(
        () -> {
          long[] counts = new long[parameterValues.size()];
          for (int i = 0; i < counts.length; i++) {
            List<Object> values = new ArrayList<>();
            for (TypedValue v : parameterValues.get(i)) {
              values.add(Parameters.toEngine(v, UTC));
            }
            try (StatementResult r = session.execute(s.sql, values)) {
              counts[i] = r.isQuery() ? -1 : r.updateCount();
            }
          }
          return new ExecuteBatchResult(counts);
        });
  }

  @Override
  public ExecuteBatchResult executeBatchProtobuf(
      StatementHandle h, List<org.apache.calcite.avatica.proto.Requests.UpdateBatch> updateBatches)
      throws NoSuchStatementException {
    List<List<TypedValue>> values = new ArrayList<>();
    for (org.apache.calcite.avatica.proto.Requests.UpdateBatch b : updateBatches) {
      List<TypedValue> row = new ArrayList<>();
      for (org.apache.calcite.avatica.proto.Common.TypedValue v : b.getParameterValuesList()) {
        row.add(TypedValue.fromProto(v));
      }
      values.add(row);
    }
    return executeBatch(h, values);
  }

  @Override
  public Iterable<Object> createIterable(
      StatementHandle h,
      QueryState state,
      Signature signature,
      List<TypedValue> parameterValues,
      Frame firstFrame) {
    throw MetaErrors.toAvatica(
        new NqlException(ErrorCode.NOT_SUPPORTED, "Cannot iterate a result locally"));
  }

  /**
   * Cancels a statement of an open connection while it executes or its result is being read (for
   * front ends: Avatica's protocol has no cancel call); it then fails with SQLSTATE 57014.
   *
   * @return whether the statement was running
   */
  public boolean cancel(String connectionId, int statementId) {
    Conn c = connections.get(connectionId);
    Stmt s = c == null ? null : c.statements.get(statementId);
    if (s == null || !(s.executing || s.streaming())) {
      return false;
    }
    c.session.cancel();
    return true;
  }

  /**
   * The warnings of a statement's latest execution (e.g. a budget that stopped delivery), as {@code
   * {sqlState, message}} pairs: JDBC clients read them through {@code Statement.getWarnings()},
   * which Avatica's protocol does not carry. Empty for an unknown id.
   */
  public List<String[]> warnings(String connectionId, int statementId) {
    Conn c = connections.get(connectionId);
    Stmt s = c == null ? null : c.statements.get(statementId);
    if (s == null) {
      return List.of();
    }
    List<String[]> out = new ArrayList<>();
    for (StatementWarning w : s.currentWarnings()) {
      out.add(new String[] {w.sqlState(), w.message()});
    }
    return out;
  }

  /** Number of open connections (for tests and metrics). */
  public int openConnections() {
    return connections.size();
  }

  /** Arrow memory held by open results' columnar frames (for tests: 0 once they are closed). */
  public long allocatedBytes() {
    return allocator.getAllocatedMemory();
  }
}
