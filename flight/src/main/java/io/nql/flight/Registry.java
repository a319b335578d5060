package io.nql.flight;

import io.nql.planner.engine.PreparedInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open prepared statements and executions of every caller, by handle id. Lookups take the
 * caller and find only what that caller created.
 */
final class Registry {
  /** A prepared statement: its text, its description and the parameter rows bound by DoPut. */
  static final class Prepared {
    final Handles.Handle handle;
    final String sql;
    final PreparedInfo info;
    volatile List<List<Object>> parameterRows = List.of();
    volatile long lastUsed;

    Prepared(Handles.Handle handle, String sql, PreparedInfo info, long now) {
      this.handle = handle;
      this.sql = sql;
      this.info = info;
      this.lastUsed = now;
    }
  }

  private final Map<String, Prepared> prepared = new ConcurrentHashMap<>();
  private final Map<String, Execution> executions = new ConcurrentHashMap<>();

  void add(Prepared p) {
    prepared.put(p.handle.id(), p);
  }

  void add(Execution e) {
    executions.put(e.handle.id(), e);
  }

  Optional<Prepared> prepared(Handles.Handle h) {
    Prepared p = prepared.get(h.id());
    return p != null && p.handle.user().equals(h.user()) ? Optional.of(p) : Optional.empty();
  }

  Optional<Prepared> removePrepared(Handles.Handle h) {
    Optional<Prepared> p = prepared(h);
    p.ifPresent(x -> prepared.remove(h.id(), x));
    return p;
  }

  Optional<Execution> execution(Handles.Handle h) {
    Execution e = executions.get(h.id());
    return e != null && e.handle.user().equals(h.user()) ? Optional.of(e) : Optional.empty();
  }

  /** Forgets and closes an execution. */
  void finish(Execution e) {
    executions.remove(e.handle.id(), e);
    e.close();
  }

  /** Closes executions nobody fetched in time and prepared statements unused for too long. */
  void expire(long now, long resultTtlMillis, long preparedTtlMillis) {
    for (Execution e : new ArrayList<>(executions.values())) {
      if (e.expired(now, resultTtlMillis)) {
        finish(e);
      }
    }
    prepared.values().removeIf(p -> now - p.lastUsed > preparedTtlMillis);
  }

  /** Cancels every execution (the endpoint is stopping); returns how many. */
  int cancelAll() {
    int n = 0;
    for (Execution e : executions.values()) {
      e.cancel();
      n++;
    }
    return n;
  }

  /** Executions holding a session (a ticket cancelled before its DoGet no longer does). */
  int executions() {
    return (int) executions.values().stream().filter(Execution::open).count();
  }

  /** Closes everything. */
  void closeAll() {
    for (Execution e : new ArrayList<>(executions.values())) {
      finish(e);
    }
    prepared.clear();
  }
}
