package io.nql.flight;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.PreparedInfo;
import io.nql.planner.engine.StatementResult;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightProducer.CallContext;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.sql.impl.FlightSql.TicketStatementQuery;

/**
 * Statements over Flight SQL: each FlightInfo registers an execution of the caller for its DoGet,
 * to run once per parameter row (at least once), with a session of its own and the statement
 * timeout started. A query is only described when its FlightInfo is asked for, so errors of
 * planning surface there; it executes and streams on DoGet with the ticket, which names the
 * execution, so CancelFlightInfo can stop it while it computes. A statement that returns an update
 * count runs when its FlightInfo is asked for and answers with a one-row {@code update_count}.
 */
final class Statements {
  private final CallSessions calls;
  private final Registry registry;
  private final ResultStreamer streamer;
  private final StatementTimeouts timeouts;
  private final ScheduledExecutorService timers;
  private final LongSupplier clock;

  Statements(
      CallSessions calls,
      Registry registry,
      ResultStreamer streamer,
      StatementTimeouts timeouts,
      ScheduledExecutorService timers,
      LongSupplier clock) {
    this.calls = calls;
    this.registry = registry;
    this.streamer = streamer;
    this.timeouts = timeouts;
    this.timers = timers;
    this.clock = clock;
  }

  /**
   * Registers a statement's execution for its DoGet and answers with its ticket. A query is only
   * described here: it executes on its DoGet, where CancelFlightInfo (or the statement timeout,
   * which starts now) can stop it before or while it computes. A statement that returns an update
   * count runs here.
   *
   * @param rows the parameter rows, run one after the other; with none, the statement runs once
   *     without parameters
   */
  FlightInfo flightInfo(
      CallContext context, String sql, List<List<Object>> rows, FlightDescriptor descriptor) {
    NqlSession session = null;
    StatementTimeouts.Deadline deadline = null;
    try {
      session = calls.open(context);
      deadline = timeouts.start(session::cancel);
      Execution e = execution(context, session, sql, atLeastOne(rows), deadline);
      registry.add(e);
      return Replies.flightInfo(
          e.schema(),
          descriptor,
          Replies.pack(
              TicketStatementQuery.newBuilder().setStatementHandle(e.handle.bytes()).build()));
    } catch (RuntimeException e) {
      if (session != null) {
        session.close();
      }
      if (deadline != null) {
        deadline.end();
        throw deadline.error(e);
      }
      throw FlightErrors.of(e);
    }
  }

  /** The parameter rows to run: one empty row when there are none. */
  static List<List<Object>> atLeastOne(List<List<Object>> rows) {
    return rows.isEmpty() ? List.of(List.of()) : rows;
  }

  private Execution execution(
      CallContext context,
      NqlSession session,
      String sql,
      List<List<Object>> all,
      StatementTimeouts.Deadline deadline) {
    PreparedInfo described = CallSessions.whileCalled(session, () -> session.plan(sql));
    Handles.Handle handle = Handles.create(CallSessions.caller(context));
    if (described.query()) {
      Iterator<List<Object>> rows = new ArrayList<>(all).iterator();
      return Execution.deferred(
          handle, session, sql, described.columns(), rows, clock.getAsLong(), deadline, timers);
    }
    StatementResult first =
        CallSessions.whileCalled(session, () -> session.execute(sql, all.get(0)));
    if (!first.isQuery()) {
      first = new UpdateCountResult(first);
    }
    Iterator<List<Object>> more = new ArrayList<>(all.subList(1, all.size())).iterator();
    return Execution.executed(
        handle, session, sql, first, more, clock.getAsLong(), deadline, timers);
  }

  /** The result schema of a statement, described in a session opened for the call. */
  SchemaResult schema(CallContext context, String sql) {
    return FlightErrors.guard(
        () ->
            new SchemaResult(
                ArrowSchemas.of(calls.withSession(context, s -> s.prepare(sql)).columns())));
  }

  /** Streams the execution a ticket names, once: a second DoGet finds it claimed. */
  void stream(TicketStatementQuery ticket, CallContext context, ServerStreamListener listener) {
    try {
      Execution e =
          Handles.parse(ticket.getStatementHandle(), CallSessions.caller(context))
              .flatMap(registry::execution)
              .filter(Execution::claim)
              .orElseThrow(() -> Handles.unknown("the statement ticket"));
      streamer.start(e, listener);
    } catch (RuntimeException e) {
      listener.error(FlightErrors.of(e));
    }
  }

  /** Runs a statement that returns an update count, under the statement timeout. */
  long update(CallContext context, String sql) {
    return calls.withDeadline(
        context,
        s -> {
          try (StatementResult r = s.execute(sql)) {
            return r.updateCount();
          }
        });
  }

  /**
   * Cancels the executions of the caller a FlightInfo's tickets name.
   *
   * @return whether there was any
   */
  boolean cancel(FlightInfo info, CallContext context) {
    List<Execution> found = new ArrayList<>();
    String user = CallSessions.caller(context);
    for (FlightEndpoint endpoint : info.getEndpoints()) {
      try {
        Any any = Any.parseFrom(endpoint.getTicket().getBytes());
        if (any.is(TicketStatementQuery.class)) {
          ByteString handle = any.unpack(TicketStatementQuery.class).getStatementHandle();
          Handles.parse(handle, user).flatMap(registry::execution).ifPresent(found::add);
        }
      } catch (InvalidProtocolBufferException e) {
        // not one of our tickets
      }
    }
    found.forEach(Execution::cancel);
    return !found.isEmpty();
  }
}
