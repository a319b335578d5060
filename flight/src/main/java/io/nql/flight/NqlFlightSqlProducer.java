package io.nql.flight;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.grpc.Context;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.PreparedInfo;
import io.nql.planner.engine.SessionFactory;
import io.nql.planner.engine.SessionProperty;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.flight.CloseSessionRequest;
import org.apache.arrow.flight.CloseSessionResult;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightConstants;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.grpc.RequestContextAdapter;
import org.apache.arrow.flight.sql.CancelResult;
import org.apache.arrow.flight.sql.FlightSqlProducer;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionClosePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementResult;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetCatalogs;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetCrossReference;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetDbSchemas;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetExportedKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetImportedKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetPrimaryKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetSqlInfo;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetTableTypes;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetTables;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetXdbcTypeInfo;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandPreparedStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandPreparedStatementUpdate;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementUpdate;
import org.apache.arrow.flight.sql.impl.FlightSql.DoPutUpdateResult;
import org.apache.arrow.flight.sql.impl.FlightSql.TicketStatementQuery;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Flight SQL producer over the engine: each command becomes calls on a session of the
 * authenticated caller, opened for that call (or for one statement's stream) and closed after.
 *
 * <p>A query is described (planned, its schema known) when its FlightInfo is asked for, so errors
 * of planning surface there; it executes and streams on DoGet with the ticket, which names the
 * execution, so CancelFlightInfo can stop it while it computes. Statements that return an update
 * count run when their FlightInfo is asked for. Prepared statements keep their text and bound
 * parameter rows between calls; several parameter rows run one after the other into one stream
 * (queries) or one summed count (updates). Handles and tickets name their owner and are refused to
 * anyone else as if unknown.
 *
 * <p>The session property {@link SessionProperty#BUDGET_USD} is read from the call header of that
 * name (the Flight SQL JDBC driver sends unknown URL properties as headers).
 */
public final class NqlFlightSqlProducer implements FlightSqlProducer {
  /** Call header carrying the session default budget, in USD. */
  public static final String BUDGET_HEADER = SessionProperty.BUDGET_USD.key();

  private static final long PREPARED_TTL_MILLIS = 3_600_000L;

  private final SessionFactory sessions;
  private final BufferAllocator allocator;
  private final Tokens tokens;
  private final FlightConfig config;
  private final LongSupplier clock;
  private final Registry registry = new Registry();
  private final ServerInfo info = new ServerInfo(PREPARED_TTL_MILLIS);
  private final ExecutorService streams;
  private final ResultStreamer streamer;
  private final ScheduledExecutorService timers;
  private final StatementTimeouts timeouts;

  NqlFlightSqlProducer(
      SessionFactory sessions,
      BufferAllocator allocator,
      Tokens tokens,
      FlightConfig config,
      LongSupplier clockMillis) {
    this.sessions = sessions;
    this.allocator = allocator;
    this.tokens = tokens;
    this.config = config;
    this.clock = clockMillis;
    AtomicInteger n = new AtomicInteger();
    this.streams =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "nql-flight-stream-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.streamer =
        new ResultStreamer(
            allocator, config.statementMemory(), config.batchRows(), registry, streams);
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "nql-flight-statement-timeouts");
              t.setDaemon(true);
              return t;
            });
    this.timeouts = new StatementTimeouts(config.statementTimeout(), timers);
  }

  // ---- callers and sessions

  private static String caller(CallContext context) {
    String user = context.peerIdentity();
    if (user == null || user.isEmpty()) {
      throw CallStatus.UNAUTHENTICATED.toRuntimeException();
    }
    return user;
  }

  /** A session of the caller with the call's session properties; the caller closes it. */
  private NqlSession open(CallContext context) {
    NqlSession session = sessions.trusted(caller(context));
    try {
      var headers = context.getMiddleware(FlightConstants.HEADER_KEY);
      CallHeaders h = headers == null ? null : headers.headers();
      if (h != null && h.containsKey(BUDGET_HEADER)) {
        session.setProperty(BUDGET_HEADER, h.get(BUDGET_HEADER));
      }
      return session;
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** Opens and closes a session of {@code user} with this budget; throws when it is refused. */
  void checkSession(String user, String budgetUsd) {
    try (NqlSession session = sessions.trusted(user)) {
      session.setProperty(BUDGET_HEADER, budgetUsd);
    }
  }

  private <T> T withSession(CallContext context, Function<NqlSession, T> work) {
    try (NqlSession session = open(context)) {
      return work.apply(session);
    }
  }

  /** Runs an update in a session of the caller, under the statement timeout. */
  private long withDeadline(CallContext context, Function<NqlSession, Long> work) {
    try (NqlSession session = open(context)) {
      StatementTimeouts.Deadline deadline = timeouts.start(session::cancel);
      try {
        return work.apply(session);
      } catch (RuntimeException e) {
        throw deadline.error(e);
      } finally {
        deadline.end();
      }
    }
  }

  private static NqlException unknown(String what) {
    return new NqlException(
        ErrorCode.UNDEFINED_OBJECT, "Cannot use " + what + ": unknown, closed or expired handle");
  }

  private Registry.Prepared prepared(ByteString handle, CallContext context) {
    Optional<Registry.Prepared> p =
        Handles.parse(handle, caller(context)).flatMap(registry::prepared);
    Registry.Prepared found = p.orElseThrow(() -> unknown("the prepared statement"));
    found.lastUsed = clock.getAsLong();
    return found;
  }

  private static byte[] pack(Message m) {
    return Any.pack(m).toByteArray();
  }

  private static FlightInfo info(Schema schema, FlightDescriptor descriptor, byte[] ticket) {
    return new FlightInfo(
        schema, descriptor, List.of(new FlightEndpoint(new Ticket(ticket))), -1, -1);
  }

  // ---- statements

  /**
   * Registers a statement's execution for its DoGet, to run once per parameter row (at least once).
   * A query is only described here: it executes on its DoGet, where CancelFlightInfo (or the
   * statement timeout, which starts now) can stop it before or while it computes. A statement that
   * returns an update count runs here and answers with a one-row {@code update_count}.
   */
  private FlightInfo execute(
      CallContext context, String sql, List<List<Object>> rows, FlightDescriptor descriptor) {
    NqlSession session = null;
    StatementTimeouts.Deadline deadline = null;
    try {
      session = open(context);
      deadline = timeouts.start(session::cancel);
      List<List<Object>> all = rows.isEmpty() ? List.of(List.of()) : rows;
      PreparedInfo described = describeWhileCalled(session, sql);
      Handles.Handle handle = Handles.create(caller(context));
      Execution e;
      if (described.query()) {
        e =
            Execution.deferred(
                handle,
                session,
                sql,
                described.columns(),
                new ArrayList<>(all).iterator(),
                clock.getAsLong(),
                deadline,
                timers);
      } else {
        StatementResult first = executeWhileCalled(session, sql, all.get(0));
        if (!first.isQuery()) {
          first = new UpdateCountResult(first);
        }
        e =
            Execution.executed(
                handle,
                session,
                sql,
                first,
                new ArrayList<>(all.subList(1, all.size())).iterator(),
                clock.getAsLong(),
                deadline,
                timers);
      }
      registry.add(e);
      return info(
          e.schema(),
          descriptor,
          pack(TicketStatementQuery.newBuilder().setStatementHandle(handle.bytes()).build()));
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

  /** Describes a statement inside a GetFlightInfo call; abandoning the call cancels it. */
  private static PreparedInfo describeWhileCalled(NqlSession session, String sql) {
    return whileCalled(session, () -> session.prepare(sql));
  }

  /**
   * Runs a statement that returns an update count inside a GetFlightInfo call; a client that
   * abandons the call (its deadline passes, it cancels or disconnects) cancels the statement.
   */
  private static StatementResult executeWhileCalled(
      NqlSession session, String sql, List<Object> parameters) {
    return whileCalled(session, () -> session.execute(sql, parameters));
  }

  private static <T> T whileCalled(NqlSession session, Supplier<T> work) {
    Context call = Context.current();
    Context.CancellationListener abandoned = c -> session.cancel();
    call.addListener(abandoned, Runnable::run);
    try {
      return work.get();
    } finally {
      call.removeListener(abandoned);
    }
  }

  @Override
  public FlightInfo getFlightInfoStatement(
      CommandStatementQuery command, CallContext context, FlightDescriptor descriptor) {
    return execute(context, command.getQuery(), List.of(), descriptor);
  }

  @Override
  public SchemaResult getSchemaStatement(
      CommandStatementQuery command, CallContext context, FlightDescriptor descriptor) {
    try {
      PreparedInfo p = withSession(context, s -> s.prepare(command.getQuery()));
      return new SchemaResult(ArrowSchemas.of(p.columns()));
    } catch (RuntimeException e) {
      throw FlightErrors.of(e);
    }
  }

  @Override
  public void getStreamStatement(
      TicketStatementQuery ticket, CallContext context, ServerStreamListener listener) {
    try {
      Execution e =
          Handles.parse(ticket.getStatementHandle(), caller(context))
              .flatMap(registry::execution)
              .filter(Execution::claim)
              .orElseThrow(() -> unknown("the statement ticket"));
      streamer.start(e, listener);
    } catch (RuntimeException e) {
      listener.error(FlightErrors.of(e));
    }
  }

  @Override
  public Runnable acceptPutStatement(
      CommandStatementUpdate command,
      CallContext context,
      FlightStream flightStream,
      StreamListener<PutResult> ackStream) {
    return () -> {
      try {
        long count =
            withDeadline(
                context,
                s -> {
                  try (StatementResult r = s.execute(command.getQuery())) {
                    return r.updateCount();
                  }
                });
        ack(ackStream, count);
      } catch (RuntimeException e) {
        ackStream.onError(FlightErrors.of(e));
      }
    };
  }

  private void ack(StreamListener<PutResult> ackStream, long count) {
    byte[] bytes = DoPutUpdateResult.newBuilder().setRecordCount(count).build().toByteArray();
    try (ArrowBuf buf = allocator.buffer(bytes.length)) {
      buf.writeBytes(bytes);
      ackStream.onNext(PutResult.metadata(buf));
    }
    ackStream.onCompleted();
  }

  // ---- prepared statements

  @Override
  public void createPreparedStatement(
      ActionCreatePreparedStatementRequest request,
      CallContext context,
      StreamListener<Result> listener) {
    try {
      String sql = request.getQuery();
      PreparedInfo p = withSession(context, s -> s.prepare(sql));
      Handles.Handle handle = Handles.create(caller(context));
      registry.add(new Registry.Prepared(handle, sql, p, clock.getAsLong()));
      ActionCreatePreparedStatementResult.Builder result =
          ActionCreatePreparedStatementResult.newBuilder()
              .setPreparedStatementHandle(handle.bytes())
              .setParameterSchema(
                  ByteString.copyFrom(
                      ArrowSchemas.parameters(p.parameters()).serializeAsMessage()));
      if (p.query()) {
        result.setDatasetSchema(
            ByteString.copyFrom(ArrowSchemas.of(p.columns()).serializeAsMessage()));
      }
      listener.onNext(new Result(pack(result.build())));
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(FlightErrors.of(e));
    }
  }

  @Override
  public void closePreparedStatement(
      ActionClosePreparedStatementRequest request,
      CallContext context,
      StreamListener<Result> listener) {
    try {
      Handles.parse(request.getPreparedStatementHandle(), caller(context))
          .flatMap(registry::removePrepared)
          .orElseThrow(() -> unknown("the prepared statement"));
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(FlightErrors.of(e));
    }
  }

  @Override
  public FlightInfo getFlightInfoPreparedStatement(
      CommandPreparedStatementQuery command, CallContext context, FlightDescriptor descriptor) {
    Registry.Prepared p;
    try {
      p = prepared(command.getPreparedStatementHandle(), context);
    } catch (RuntimeException e) {
      throw FlightErrors.of(e);
    }
    return execute(context, p.sql, p.parameterRows, descriptor);
  }

  @Override
  public SchemaResult getSchemaPreparedStatement(
      CommandPreparedStatementQuery command, CallContext context, FlightDescriptor descriptor) {
    try {
      Registry.Prepared p = prepared(command.getPreparedStatementHandle(), context);
      return new SchemaResult(ArrowSchemas.of(p.info.columns()));
    } catch (RuntimeException e) {
      throw FlightErrors.of(e);
    }
  }

  @Override
  public void getStreamPreparedStatement(
      CommandPreparedStatementQuery command, CallContext context, ServerStreamListener listener) {
    try {
      FlightInfo info = getFlightInfoPreparedStatement(command, context, null);
      TicketStatementQuery ticket =
          Any.parseFrom(info.getEndpoints().get(0).getTicket().getBytes())
              .unpack(TicketStatementQuery.class);
      getStreamStatement(ticket, context, listener);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      listener.error(FlightErrors.of(e));
    }
  }

  @Override
  public Runnable acceptPutPreparedStatementQuery(
      CommandPreparedStatementQuery command,
      CallContext context,
      FlightStream flightStream,
      StreamListener<PutResult> ackStream) {
    return () -> {
      try {
        Registry.Prepared p = prepared(command.getPreparedStatementHandle(), context);
        p.parameterRows = parameterRows(flightStream);
        ackStream.onCompleted();
      } catch (RuntimeException e) {
        ackStream.onError(FlightErrors.of(e));
      }
    };
  }

  @Override
  public Runnable acceptPutPreparedStatementUpdate(
      CommandPreparedStatementUpdate command,
      CallContext context,
      FlightStream flightStream,
      StreamListener<PutResult> ackStream) {
    return () -> {
      try {
        Registry.Prepared p = prepared(command.getPreparedStatementHandle(), context);
        List<List<Object>> rows = parameterRows(flightStream);
        List<List<Object>> all = rows.isEmpty() ? List.of(List.of()) : rows;
        long count =
            withDeadline(
                context,
                s -> {
                  long total = 0;
                  for (List<Object> row : all) {
                    try (StatementResult r = s.execute(p.sql, row)) {
                      total += Math.max(0, r.updateCount());
                    }
                  }
                  return total;
                });
        ack(ackStream, count);
      } catch (RuntimeException e) {
        ackStream.onError(FlightErrors.of(e));
      }
    };
  }

  private static List<List<Object>> parameterRows(FlightStream stream) {
    List<List<Object>> rows = new ArrayList<>();
    while (stream.next()) {
      rows.addAll(ParameterValues.rows(stream.getRoot()));
    }
    return rows;
  }

  // ---- cancel and sessions

  /** The executions a FlightInfo's tickets name, of this caller. */
  private List<Execution> executions(FlightInfo info, CallContext context) {
    List<Execution> out = new ArrayList<>();
    String user = caller(context);
    for (FlightEndpoint endpoint : info.getEndpoints()) {
      try {
        Any any = Any.parseFrom(endpoint.getTicket().getBytes());
        if (any.is(TicketStatementQuery.class)) {
          ByteString handle = any.unpack(TicketStatementQuery.class).getStatementHandle();
          Handles.parse(handle, user).flatMap(registry::execution).ifPresent(out::add);
        }
      } catch (InvalidProtocolBufferException e) {
        // not one of our tickets
      }
    }
    return out;
  }

  @Override
  public void cancelFlightInfo(
      CancelFlightInfoRequest request, CallContext context, StreamListener<CancelStatus> listener) {
    try {
      List<Execution> found = executions(request.getInfo(), context);
      found.forEach(Execution::cancel);
      listener.onNext(found.isEmpty() ? CancelStatus.NOT_CANCELLABLE : CancelStatus.CANCELLED);
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(FlightErrors.of(e));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void cancelQuery(
      FlightInfo info, CallContext context, StreamListener<CancelResult> listener) {
    try {
      List<Execution> found = executions(info, context);
      found.forEach(Execution::cancel);
      listener.onNext(found.isEmpty() ? CancelResult.NOT_CANCELLABLE : CancelResult.CANCELLED);
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(FlightErrors.of(e));
    }
  }

  /** Logout: revokes the bearer token the call came with. */
  @Override
  public void closeSession(
      CloseSessionRequest request,
      CallContext context,
      StreamListener<CloseSessionResult> listener) {
    caller(context);
    var requestContext = RequestContextAdapter.REQUEST_CONTEXT_KEY.get();
    String token = requestContext == null ? null : requestContext.get(AuthInterceptor.TOKEN_KEY);
    if (token != null) {
      tokens.revoke(token);
    }
    listener.onNext(new CloseSessionResult(CloseSessionResult.Status.CLOSED));
    listener.onCompleted();
  }

  // ---- metadata

  private void sendMetadata(
      CallContext context,
      Schema schema,
      Function<NqlSession, List<Map<String, Object>>> rows,
      ServerStreamListener listener) {
    try {
      List<Map<String, Object>> data = withSession(context, rows);
      MetadataResults.send(schema, data, allocator, listener);
    } catch (RuntimeException e) {
      listener.error(FlightErrors.of(e));
    }
  }

  @Override
  public FlightInfo getFlightInfoSqlInfo(
      CommandGetSqlInfo request, CallContext context, FlightDescriptor descriptor) {
    caller(context);
    return info(Schemas.GET_SQL_INFO_SCHEMA, descriptor, pack(request));
  }

  @Override
  public void getStreamSqlInfo(
      CommandGetSqlInfo command, CallContext context, ServerStreamListener listener) {
    caller(context);
    info.send(command.getInfoList(), allocator, listener);
  }

  @Override
  public FlightInfo getFlightInfoTypeInfo(
      CommandGetXdbcTypeInfo request, CallContext context, FlightDescriptor descriptor) {
    caller(context);
    return info(Schemas.GET_TYPE_INFO_SCHEMA, descriptor, pack(request));
  }

  @Override
  public void getStreamTypeInfo(
      CommandGetXdbcTypeInfo request, CallContext context, ServerStreamListener listener) {
    Integer type = request.hasDataType() ? request.getDataType() : null;
    sendMetadata(
        context, Schemas.GET_TYPE_INFO_SCHEMA, s -> MetadataResults.typeInfo(type), listener);
  }

  @Override
  public FlightInfo getFlightInfoCatalogs(
      CommandGetCatalogs request, CallContext context, FlightDescriptor descriptor) {
    caller(context);
    return info(Schemas.GET_CATALOGS_SCHEMA, descriptor, pack(request));
  }

  @Override
  public void getStreamCatalogs(CallContext context, ServerStreamListener listener) {
    sendMetadata(context, Schemas.GET_CATALOGS_SCHEMA, s -> MetadataResults.catalogs(), listener);
  }

  @Override
  public FlightInfo getFlightInfoSchemas(
      CommandGetDbSchemas request, CallContext context, FlightDescriptor descriptor) {
    caller(context);
    return info(Schemas.GET_SCHEMAS_SCHEMA, descriptor, pack(request));
  }

  @Override
  public void getStreamSchemas(
      CommandGetDbSchemas command, CallContext context, ServerStreamListener listener) {
    sendMetadata(
        context, Schemas.GET_SCHEMAS_SCHEMA, s -> MetadataResults.schemas(s, command), listener);
  }

  @Override
  public FlightInfo getFlightInfoTables(
      CommandGetTables request, CallContext context, FlightDescriptor descriptor) {
    caller(context);
    return info(MetadataResults.tablesSchema(request), descriptor, pack(request));
  }

  @Override
  public void getStreamTables(
      CommandGetTables command, CallContext context, ServerStreamListener listener) {
    sendMetadata(
        context,
        MetadataResults.tablesSchema(command),
        s -> MetadataResults.tables(s, command),
        listener);
  }

  @Override
  public FlightInfo getFlightInfoTableTypes(
      CommandGetTableTypes request, CallContext context, FlightDescriptor descriptor) {
    caller(context);
    return info(Schemas.GET_TABLE_TYPES_SCHEMA, descriptor, pack(request));
  }

  @Override
  public void getStreamTableTypes(CallContext context, ServerStreamListener listener) {
    sendMetadata(
        context, Schemas.GET_TABLE_TYPES_SCHEMA, s -> MetadataResults.tableTypes(), listener);
  }

  @Override
  public FlightInfo getFlightInfoPrimaryKeys(
      CommandGetPrimaryKeys request, CallContext context, FlightDescriptor descriptor) {
    caller(context);
    return info(Schemas.GET_PRIMARY_KEYS_SCHEMA, descriptor, pack(request));
  }

  @Override
  public void getStreamPrimaryKeys(
      CommandGetPrimaryKeys command, CallContext context, ServerStreamListener listener) {
    sendMetadata(context, Schemas.GET_PRIMARY_KEYS_SCHEMA, s -> List.of(), listener);
  }

  @Override
  public FlightInfo getFlightInfoExportedKeys(
      CommandGetExportedKeys request, CallContext context, FlightDescriptor descriptor) {
    caller(context);
    return info(Schemas.GET_EXPORTED_KEYS_SCHEMA, descriptor, pack(request));
  }

  @Override
  public void getStreamExportedKeys(
      CommandGetExportedKeys command, CallContext context, ServerStreamListener listener) {
    sendMetadata(context, Schemas.GET_EXPORTED_KEYS_SCHEMA, s -> List.of(), listener);
  }

  @Override
  public FlightInfo getFlightInfoImportedKeys(
      CommandGetImportedKeys request, CallContext context, FlightDescriptor descriptor) {
    caller(context);
    return info(Schemas.GET_IMPORTED_KEYS_SCHEMA, descriptor, pack(request));
  }

  @Override
  public void getStreamImportedKeys(
      CommandGetImportedKeys command, CallContext context, ServerStreamListener listener) {
    sendMetadata(context, Schemas.GET_IMPORTED_KEYS_SCHEMA, s -> List.of(), listener);
  }

  @Override
  public FlightInfo getFlightInfoCrossReference(
      CommandGetCrossReference request, CallContext context, FlightDescriptor descriptor) {
    caller(context);
    return info(Schemas.GET_CROSS_REFERENCE_SCHEMA, descriptor, pack(request));
  }

  @Override
  public void getStreamCrossReference(
      CommandGetCrossReference command, CallContext context, ServerStreamListener listener) {
    sendMetadata(context, Schemas.GET_CROSS_REFERENCE_SCHEMA, s -> List.of(), listener);
  }

  @Override
  public void listFlights(
      CallContext context, Criteria criteria, StreamListener<FlightInfo> listener) {
    caller(context);
    listener.onCompleted();
  }

  // ---- lifecycle

  /** Closes executions nobody fetched in time and prepared statements unused for an hour. */
  void expire() {
    registry.expire(clock.getAsLong(), config.resultTtl().toMillis(), PREPARED_TTL_MILLIS);
  }

  /** Executions open now (registered and not yet finished). */
  int openExecutions() {
    return registry.executions();
  }

  /** Cancels every running statement; returns how many. */
  int cancelAll() {
    return registry.cancelAll();
  }

  @Override
  public void close() {
    registry.closeAll();
    streams.shutdownNow();
    timers.shutdownNow();
  }
}
