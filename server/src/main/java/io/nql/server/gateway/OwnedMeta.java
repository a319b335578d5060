package io.nql.server.gateway;

import io.nql.planner.meta.NqlMeta;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.ProtobufMeta;

/**
 * The engine's Meta as the network sees it: every call names a connection, and only the user who
 * opened a connection may use it (or its statements); anyone else gets the same error as for an
 * unknown id. It also times statements out, notes when connections were last used, and refuses new
 * statements while the gateway stops. Written as one proxy so that no Meta method can bypass the
 * ownership check.
 */
final class OwnedMeta implements InvocationHandler {
  private static final Set<String> EXECUTIONS =
      Set.of(
          "prepareAndExecute",
          "execute",
          "prepareAndExecuteBatch",
          "executeBatch",
          "executeBatchProtobuf");
  private static final Set<String> REFUSED_WHEN_STOPPING =
      Set.of(
          "openConnection",
          "prepare",
          "prepareAndExecute",
          "execute",
          "prepareAndExecuteBatch",
          "executeBatch",
          "executeBatchProtobuf");

  /** How long after a cancel to repeat it while the statement's request still computes. */
  private static final long RECANCEL_MILLIS = 100;

  /** How many times a cancel is repeated at most (a few seconds' worth). */
  private static final int RECANCELS = 50;

  private final NqlMeta engine;
  private final ScheduledExecutorService timers;
  private final Duration statementTimeout;
  private final ConcurrentMap<String, OpenConnection> connections = new ConcurrentHashMap<>();
  private volatile boolean stopping;

  OwnedMeta(NqlMeta engine, ScheduledExecutorService timers, Duration statementTimeout) {
    this.engine = engine;
    this.timers = timers;
    this.statementTimeout = statementTimeout;
  }

  /** The Meta to hand to Avatica's service. */
  ProtobufMeta asMeta() {
    return (ProtobufMeta)
        Proxy.newProxyInstance(
            ProtobufMeta.class.getClassLoader(), new Class<?>[] {ProtobufMeta.class}, this);
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> "OwnedMeta";
      };
    }
    String name = method.getName();
    String caller = Caller.current();
    String connectionId = connectionId(args);
    if (caller == null || connectionId == null) {
      throw caller == null ? GatewayErrors.unknownConnection() : GatewayErrors.notSupported(name);
    }
    if (stopping && REFUSED_WHEN_STOPPING.contains(name)) {
      throw GatewayErrors.shuttingDown();
    }
    if (name.equals("openConnection")) {
      return open(method, args, caller, connectionId);
    }
    OpenConnection c = owned(connectionId, caller).orElseThrow(GatewayErrors::unknownConnection);
    int statementId = args[0] instanceof Meta.StatementHandle h ? h.id : -1;
    c.enter();
    try {
      if (EXECUTIONS.contains(name)) {
        c.started(statementId, scheduleTimeout(c, statementId));
      }
      Object result = call(method, args);
      afterCall(c, name, statementId, result);
      return result;
    } catch (AvaticaRuntimeException e) {
      if (statementId >= 0 && (EXECUTIONS.contains(name) || name.equals("fetch"))) {
        boolean timedOut = "57014".equals(e.getSqlState()) && c.timedOut(statementId);
        c.finished(statementId);
        if (timedOut) {
          throw GatewayErrors.timedOut(statementTimeout);
        }
      }
      throw e;
    } finally {
      c.exit();
    }
  }

  private Object open(Method method, Object[] args, String caller, String connectionId)
      throws Throwable {
    @SuppressWarnings("unchecked")
    Map<String, String> given = (Map<String, String>) args[1];
    Map<String, String> info = new HashMap<>(given == null ? Map.of() : given);
    String named = info.get("user");
    if (named != null && !named.equals(caller)) {
      throw GatewayErrors.otherUser();
    }
    // The session is the authenticated caller's: the password was checked on this very request.
    info.put("user", caller);
    info.remove("password");
    OpenConnection fresh = new OpenConnection(connectionId, caller);
    OpenConnection existing = connections.putIfAbsent(connectionId, fresh);
    if (existing != null) {
      if (!existing.owner.equals(caller)) {
        throw GatewayErrors.unknownConnection();
      }
      return null;
    }
    try {
      call(method, new Object[] {args[0], info});
    } catch (Throwable e) {
      connections.remove(connectionId, fresh);
      throw e;
    }
    GatewayLog.info("connection_open", "user", caller, "connection", connectionId);
    return null;
  }

  private void afterCall(OpenConnection c, String name, int statementId, Object result) {
    switch (name) {
      case "closeConnection" -> {
        c.clearTimeout();
        connections.remove(c.id, c);
        GatewayLog.info("connection_close", "user", c.owner, "connection", c.id);
      }
      case "closeStatement" -> c.finished(statementId);
      case "fetch" -> {
        if (result instanceof Meta.Frame f && f.done) {
          c.finished(statementId);
        }
      }
      default -> {
        if (result instanceof Meta.ExecuteResult r) {
          if (allDone(r.resultSets)) {
            c.finished(statementId);
          }
        } else if (EXECUTIONS.contains(name)) {
          c.finished(statementId);
        }
      }
    }
  }

  private static boolean allDone(List<Meta.MetaResultSet> sets) {
    for (Meta.MetaResultSet s : sets) {
      if (s.firstFrame != null && !s.firstFrame.done) {
        return false;
      }
    }
    return true;
  }

  private ScheduledFuture<?> scheduleTimeout(OpenConnection c, int statementId) {
    if (statementTimeout.isZero() || statementTimeout.isNegative()) {
      return null;
    }
    return timers.schedule(
        () -> {
          if (c.timeOut(statementId)) {
            GatewayLog.info(
                "statement_timeout",
                "user",
                c.owner,
                "connection",
                c.id,
                "statement",
                statementId,
                "timeout",
                Durations.format(statementTimeout));
            cancelRunning(c, statementId, c.execution(), RECANCELS);
          }
        },
        statementTimeout.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private Object call(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(engine, args);
    } catch (InvocationTargetException e) {
      // An Error would escape Avatica's handler and reach the client as an HTML page with a stack
      // trace: answer with a clean internal error instead.
      if (e.getCause() instanceof Error error && !(error instanceof VirtualMachineError)) {
        GatewayLog.error("internal_error", error, "call", method.getName());
        throw GatewayErrors.internal();
      }
      throw e.getCause();
    }
  }

  private static String connectionId(Object[] args) {
    if (args == null || args.length == 0) {
      return null;
    }
    if (args[0] instanceof Meta.ConnectionHandle ch) {
      return ch.id;
    }
    if (args[0] instanceof Meta.StatementHandle sh) {
      return sh.connectionId;
    }
    return null;
  }

  /** The connection when it is open and {@code user} opened it; empty for any other id. */
  Optional<OpenConnection> owned(String connectionId, String user) {
    OpenConnection c = connectionId == null ? null : connections.get(connectionId);
    return c != null && c.owner.equals(user) ? Optional.of(c) : Optional.empty();
  }

  /** The warnings of a statement of the caller's own connection ({sqlState, message} pairs). */
  java.util.List<String[]> warnings(OpenConnection c, int statementId) {
    return engine.warnings(c.id, statementId);
  }

  /** Asks the statement running on the connection to stop; false when nothing runs. */
  boolean cancel(OpenConnection c, int statementId) {
    int running = c.running();
    if (running < 0 || (statementId >= 0 && running != statementId)) {
      return false;
    }
    cancelRunning(c, statementId < 0 ? running : statementId, c.execution(), RECANCELS);
    return true;
  }

  /**
   * Cancels the statement running on the connection. The request that runs it may not have reached
   * the session yet (a session starts each statement with a fresh cancel flag): while that same
   * execution still computes in a request, the cancel is repeated, every {@value #RECANCEL_MILLIS}
   * ms, at most {@code times} more times.
   */
  private void cancelRunning(OpenConnection c, int statementId, long execution, int times) {
    cancelSession(c.id);
    if (times <= 0) {
      return;
    }
    try {
      timers.schedule(
          () -> {
            if (c.computing(statementId, execution)) {
              cancelRunning(c, statementId, execution, times - 1);
            }
          },
          RECANCEL_MILLIS,
          TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the gateway is stopping; it closes every session
    }
  }

  private void cancelSession(String connectionId) {
    try {
      engine.session(connectionId).cancel();
    } catch (RuntimeException e) {
      // closed meanwhile: nothing left to cancel
    }
  }

  /** Refuses new connections and statements from now on; running ones continue. */
  void stopAccepting() {
    stopping = true;
  }

  /** Number of connections with a request in flight or an open result. */
  int active() {
    return (int) connections.values().stream().filter(OpenConnection::active).count();
  }

  /** Cancels every running statement; returns how many were asked. */
  int cancelAll() {
    int n = 0;
    for (OpenConnection c : connections.values()) {
      if (c.running() >= 0) {
        cancelSession(c.id);
        n++;
      }
    }
    return n;
  }

  /** Closes connections unused for longer than {@code idle}; returns how many. */
  int expireIdle(Duration idle) {
    long now = System.nanoTime();
    int n = 0;
    for (OpenConnection c : connections.values()) {
      if (c.idleFor(idle.toNanos(), now) && connections.remove(c.id, c)) {
        close(c);
        n++;
        GatewayLog.info(
            "connection_expired",
            "user",
            c.owner,
            "connection",
            c.id,
            "idle_timeout",
            Durations.format(idle));
      }
    }
    return n;
  }

  /** Closes every connection (on stop). */
  void closeAll() {
    for (OpenConnection c : connections.values()) {
      if (connections.remove(c.id, c)) {
        close(c);
      }
    }
  }

  private void close(OpenConnection c) {
    c.clearTimeout();
    try {
      engine.closeConnection(new Meta.ConnectionHandle(c.id));
    } catch (RuntimeException e) {
      GatewayLog.warn("connection_close_failed", "connection", c.id, "error", e.getMessage());
    }
  }

  /** Arrow memory held by open results' columnar frames. */
  long allocatedBytes() {
    return engine.allocatedBytes();
  }

  /** Number of open connections. */
  int size() {
    return connections.size();
  }
}
