package io.nql.flight;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.PreparedInfo;
import io.nql.planner.engine.StatementResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightProducer.CallContext;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionClosePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementResult;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandPreparedStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.TicketStatementQuery;

/**
 * Prepared statements over Flight SQL: a statement's text and description kept under a handle of
 * its caller, with the parameter rows a DoPut binds. Executing one runs it as a {@link Statements}
 * statement over those rows: several rows run one after the other into one stream (queries) or one
 * summed count (updates). A handle unused for longer than the prepared-statement lifetime is
 * forgotten ({@link Registry#expire}).
 */
final class PreparedStatements {
  private final CallSessions calls;
  private final Statements statements;
  private final Registry registry;
  private final LongSupplier clock;

  PreparedStatements(
      CallSessions calls, Statements statements, Registry registry, LongSupplier clock) {
    this.calls = calls;
    this.statements = statements;
    this.registry = registry;
    this.clock = clock;
  }

  /** The caller's prepared statement, marked used now; unknown when it is not the caller's. */
  private Registry.Prepared find(ByteString handle, CallContext context) {
    Registry.Prepared found =
        Handles.parse(handle, CallSessions.caller(context))
            .flatMap(registry::prepared)
            .orElseThrow(() -> Handles.unknown("the prepared statement"));
    found.lastUsed = clock.getAsLong();
    return found;
  }

  /**
   * Describes a statement and keeps it under a new handle, with its parameter schema. A query new
   * to the caller is planned here (see {@link io.nql.planner.engine.NqlSession#plan}), under the
   * statement timeout.
   */
  Result create(ActionCreatePreparedStatementRequest request, CallContext context) {
    String sql = request.getQuery();
    PreparedInfo p = calls.withDeadline(context, s -> s.plan(sql));
    Handles.Handle handle = Handles.create(CallSessions.caller(context));
    registry.add(new Registry.Prepared(handle, sql, p, clock.getAsLong()));
    ActionCreatePreparedStatementResult.Builder result =
        ActionCreatePreparedStatementResult.newBuilder()
            .setPreparedStatementHandle(handle.bytes())
            .setParameterSchema(
                ByteString.copyFrom(ArrowSchemas.parameters(p.parameters()).serializeAsMessage()));
    if (p.query()) {
      result.setDatasetSchema(
          ByteString.copyFrom(ArrowSchemas.of(p.columns()).serializeAsMessage()));
    }
    return new Result(Replies.pack(result.build()));
  }

  /** Forgets a prepared statement of the caller. */
  void close(ActionClosePreparedStatementRequest request, CallContext context) {
    Handles.parse(request.getPreparedStatementHandle(), CallSessions.caller(context))
        .flatMap(registry::removePrepared)
        .orElseThrow(() -> Handles.unknown("the prepared statement"));
  }

  /** Executes the statement over its bound parameter rows, as a statement's FlightInfo. */
  FlightInfo flightInfo(
      CommandPreparedStatementQuery command, CallContext context, FlightDescriptor descriptor) {
    Registry.Prepared p =
        FlightErrors.guard(() -> find(command.getPreparedStatementHandle(), context));
    return statements.flightInfo(context, p.sql, p.parameterRows, descriptor);
  }

  /** The result schema described when the statement was prepared. */
  SchemaResult schema(CommandPreparedStatementQuery command, CallContext context) {
    return FlightErrors.guard(
        () ->
            new SchemaResult(
                ArrowSchemas.of(
                    find(command.getPreparedStatementHandle(), context).info.columns())));
  }

  /** Executes and streams at once, for clients that DoGet the command without a FlightInfo. */
  void stream(
      CommandPreparedStatementQuery command, CallContext context, ServerStreamListener listener) {
    try {
      FlightInfo info = flightInfo(command, context, null);
      TicketStatementQuery ticket =
          Any.parseFrom(info.getEndpoints().get(0).getTicket().getBytes())
              .unpack(TicketStatementQuery.class);
      statements.stream(ticket, context, listener);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      listener.error(FlightErrors.of(e));
    }
  }

  /** Binds the parameter rows of a DoPut to the statement, for its next executions. */
  void bind(CommandPreparedStatementQuery command, CallContext context, FlightStream rows) {
    Registry.Prepared p = find(command.getPreparedStatementHandle(), context);
    p.parameterRows = parameterRows(rows);
  }

  /**
   * Runs an update statement once per parameter row of a DoPut (once when there is none), under one
   * statement timeout.
   *
   * @return the sum of the update counts
   */
  long update(ByteString handle, CallContext context, FlightStream rows) {
    Registry.Prepared p = find(handle, context);
    List<List<Object>> all = Statements.atLeastOne(parameterRows(rows));
    return calls.withDeadline(context, s -> updateAll(s, p.sql, all));
  }

  private static long updateAll(NqlSession session, String sql, List<List<Object>> rows) {
    long total = 0;
    for (List<Object> row : rows) {
      try (StatementResult r = session.execute(sql, row)) {
        total += Math.max(0, r.updateCount());
      }
    }
    return total;
  }

  private static List<List<Object>> parameterRows(FlightStream stream) {
    List<List<Object>> rows = new ArrayList<>();
    while (stream.next()) {
      rows.addAll(ParameterValues.rows(stream.getRoot()));
    }
    return rows;
  }
}
