package io.nql.flight;

import io.nql.planner.engine.SessionFactory;
import io.nql.planner.engine.SessionProperty;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.flight.CloseSessionRequest;
import org.apache.arrow.flight.CloseSessionResult;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.sql.CancelResult;
import org.apache.arrow.flight.sql.FlightSqlProducer;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionClosePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementRequest;
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
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementUpdate;
import org.apache.arrow.flight.sql.impl.FlightSql.TicketStatementQuery;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The Flight SQL producer over the engine: it routes each command to the collaborator that answers
 * it — {@link Statements} (statements, their streams and cancels), {@link PreparedStatements}
 * (create, bind, execute, close), {@link MetadataCommands} — each working in a session of the
 * authenticated caller ({@link CallSessions}), opened for that call (or for one statement's stream)
 * and closed after. Handles and tickets name their owner and are refused to anyone else as if
 * unknown. The producer owns the threads that stream results and time statements out, and the
 * {@link Registry} of open handles; {@link #close} stops them.
 *
 * <p>The session property {@link SessionProperty#BUDGET_USD} is read from the call header of that
 * name (the Flight SQL JDBC driver sends unknown URL properties as headers).
 */
public final class NqlFlightSqlProducer implements FlightSqlProducer {
  /** Call header carrying the session default budget, in USD. */
  public static final String BUDGET_HEADER = SessionProperty.BUDGET_USD.key();

  private static final long PREPARED_TTL_MILLIS = 3_600_000L;

  private final BufferAllocator allocator;
  private final FlightConfig config;
  private final LongSupplier clock;
  private final Registry registry = new Registry();
  private final ExecutorService streams;
  private final ScheduledExecutorService timers;
  private final CallSessions calls;
  private final Statements statements;
  private final PreparedStatements prepared;
  private final MetadataCommands metadata;

  NqlFlightSqlProducer(
      SessionFactory sessions,
      BufferAllocator allocator,
      Tokens tokens,
      FlightConfig config,
      LongSupplier clockMillis,
      Traffic traffic) {
    this.allocator = allocator;
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
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "nql-flight-statement-timeouts");
              t.setDaemon(true);
              return t;
            });
    StatementTimeouts timeouts = new StatementTimeouts(config.statementTimeout(), timers);
    ResultStreamer streamer =
        new ResultStreamer(
            allocator, config.statementMemory(), config.batchRows(), registry, streams, traffic);
    this.calls = new CallSessions(sessions, tokens, timeouts);
    this.statements = new Statements(calls, registry, streamer, timeouts, timers, clockMillis);
    this.prepared = new PreparedStatements(calls, statements, registry, clockMillis);
    this.metadata = new MetadataCommands(calls, allocator, new ServerInfo(PREPARED_TTL_MILLIS));
  }

  /** Opens and closes a session of {@code user} with this budget; throws when it is refused. */
  void checkSession(String user, String budgetUsd) {
    calls.check(user, budgetUsd);
  }

  // ---- statements

  @Override
  public FlightInfo getFlightInfoStatement(
      CommandStatementQuery command, CallContext context, FlightDescriptor descriptor) {
    return statements.flightInfo(context, command.getQuery(), List.of(), descriptor);
  }

  @Override
  public SchemaResult getSchemaStatement(
      CommandStatementQuery command, CallContext context, FlightDescriptor descriptor) {
    return statements.schema(context, command.getQuery());
  }

  @Override
  public void getStreamStatement(
      TicketStatementQuery ticket, CallContext context, ServerStreamListener listener) {
    statements.stream(ticket, context, listener);
  }

  @Override
  public Runnable acceptPutStatement(
      CommandStatementUpdate command,
      CallContext context,
      FlightStream flightStream,
      StreamListener<PutResult> ackStream) {
    return () ->
        Replies.updateCount(
            ackStream, allocator, () -> statements.update(context, command.getQuery()));
  }

  /** Bulk ingestion ({@code adbc_ingest}): the rows into a dataset of the caller's company. */
  @Override
  public Runnable acceptPutStatementBulkIngest(
      CommandStatementIngest command,
      CallContext context,
      FlightStream flightStream,
      StreamListener<PutResult> ackStream) {
    return () ->
        Replies.updateCount(
            ackStream,
            allocator,
            () ->
                calls.withDeadline(
                    context,
                    session -> {
                      try (BulkIngests.Rows rows = BulkIngests.rows(flightStream)) {
                        rows.hasNext(); // the first batch, and the dictionaries before it
                        return session.ingest(BulkIngests.request(command, flightStream), rows);
                      }
                    }));
  }

  // ---- prepared statements

  @Override
  public void createPreparedStatement(
      ActionCreatePreparedStatementRequest request,
      CallContext context,
      StreamListener<Result> listener) {
    Replies.one(listener, () -> prepared.create(request, context));
  }

  @Override
  public void closePreparedStatement(
      ActionClosePreparedStatementRequest request,
      CallContext context,
      StreamListener<Result> listener) {
    Replies.none(listener, () -> prepared.close(request, context));
  }

  @Override
  public FlightInfo getFlightInfoPreparedStatement(
      CommandPreparedStatementQuery command, CallContext context, FlightDescriptor descriptor) {
    return prepared.flightInfo(command, context, descriptor);
  }

  @Override
  public SchemaResult getSchemaPreparedStatement(
      CommandPreparedStatementQuery command, CallContext context, FlightDescriptor descriptor) {
    return prepared.schema(command, context);
  }

  @Override
  public void getStreamPreparedStatement(
      CommandPreparedStatementQuery command, CallContext context, ServerStreamListener listener) {
    prepared.stream(command, context, listener);
  }

  @Override
  public Runnable acceptPutPreparedStatementQuery(
      CommandPreparedStatementQuery command,
      CallContext context,
      FlightStream flightStream,
      StreamListener<PutResult> ackStream) {
    return () -> Replies.none(ackStream, () -> prepared.bind(command, context, flightStream));
  }

  @Override
  public Runnable acceptPutPreparedStatementUpdate(
      CommandPreparedStatementUpdate command,
      CallContext context,
      FlightStream flightStream,
      StreamListener<PutResult> ackStream) {
    return () ->
        Replies.updateCount(
            ackStream,
            allocator,
            () -> prepared.update(command.getPreparedStatementHandle(), context, flightStream));
  }

  // ---- cancel and sessions

  @Override
  public void cancelFlightInfo(
      CancelFlightInfoRequest request, CallContext context, StreamListener<CancelStatus> listener) {
    Replies.one(
        listener,
        () ->
            statements.cancel(request.getInfo(), context)
                ? CancelStatus.CANCELLED
                : CancelStatus.NOT_CANCELLABLE);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void cancelQuery(
      FlightInfo info, CallContext context, StreamListener<CancelResult> listener) {
    Replies.one(
        listener,
        () ->
            statements.cancel(info, context)
                ? CancelResult.CANCELLED
                : CancelResult.NOT_CANCELLABLE);
  }

  /** Logout: revokes the bearer token the call came with. */
  @Override
  public void closeSession(
      CloseSessionRequest request,
      CallContext context,
      StreamListener<CloseSessionResult> listener) {
    calls.closeSession(context, listener);
  }

  @Override
  public void listFlights(
      CallContext context, Criteria criteria, StreamListener<FlightInfo> listener) {
    CallSessions.caller(context);
    listener.onCompleted();
  }

  // ---- metadata

  @Override
  public FlightInfo getFlightInfoSqlInfo(
      CommandGetSqlInfo request, CallContext context, FlightDescriptor descriptor) {
    return metadata.flightInfo(request, context, descriptor);
  }

  @Override
  public void getStreamSqlInfo(
      CommandGetSqlInfo command, CallContext context, ServerStreamListener listener) {
    metadata.sqlInfo(command, context, listener);
  }

  @Override
  public FlightInfo getFlightInfoTypeInfo(
      CommandGetXdbcTypeInfo request, CallContext context, FlightDescriptor descriptor) {
    return metadata.flightInfo(request, context, descriptor);
  }

  @Override
  public void getStreamTypeInfo(
      CommandGetXdbcTypeInfo request, CallContext context, ServerStreamListener listener) {
    metadata.stream(request, context, listener);
  }

  @Override
  public FlightInfo getFlightInfoCatalogs(
      CommandGetCatalogs request, CallContext context, FlightDescriptor descriptor) {
    return metadata.flightInfo(request, context, descriptor);
  }

  @Override
  public void getStreamCatalogs(CallContext context, ServerStreamListener listener) {
    metadata.stream(CommandGetCatalogs.getDefaultInstance(), context, listener);
  }

  @Override
  public FlightInfo getFlightInfoSchemas(
      CommandGetDbSchemas request, CallContext context, FlightDescriptor descriptor) {
    return metadata.flightInfo(request, context, descriptor);
  }

  @Override
  public void getStreamSchemas(
      CommandGetDbSchemas command, CallContext context, ServerStreamListener listener) {
    metadata.stream(command, context, listener);
  }

  @Override
  public FlightInfo getFlightInfoTables(
      CommandGetTables request, CallContext context, FlightDescriptor descriptor) {
    return metadata.flightInfo(request, context, descriptor);
  }

  @Override
  public void getStreamTables(
      CommandGetTables command, CallContext context, ServerStreamListener listener) {
    metadata.stream(command, context, listener);
  }

  @Override
  public FlightInfo getFlightInfoTableTypes(
      CommandGetTableTypes request, CallContext context, FlightDescriptor descriptor) {
    return metadata.flightInfo(request, context, descriptor);
  }

  @Override
  public void getStreamTableTypes(CallContext context, ServerStreamListener listener) {
    metadata.stream(CommandGetTableTypes.getDefaultInstance(), context, listener);
  }

  @Override
  public FlightInfo getFlightInfoPrimaryKeys(
      CommandGetPrimaryKeys request, CallContext context, FlightDescriptor descriptor) {
    return metadata.flightInfo(request, context, descriptor);
  }

  @Override
  public void getStreamPrimaryKeys(
      CommandGetPrimaryKeys command, CallContext context, ServerStreamListener listener) {
    metadata.stream(command, context, listener);
  }

  @Override
  public FlightInfo getFlightInfoExportedKeys(
      CommandGetExportedKeys request, CallContext context, FlightDescriptor descriptor) {
    return metadata.flightInfo(request, context, descriptor);
  }

  @Override
  public void getStreamExportedKeys(
      CommandGetExportedKeys command, CallContext context, ServerStreamListener listener) {
    metadata.stream(command, context, listener);
  }

  @Override
  public FlightInfo getFlightInfoImportedKeys(
      CommandGetImportedKeys request, CallContext context, FlightDescriptor descriptor) {
    return metadata.flightInfo(request, context, descriptor);
  }

  @Override
  public void getStreamImportedKeys(
      CommandGetImportedKeys command, CallContext context, ServerStreamListener listener) {
    metadata.stream(command, context, listener);
  }

  @Override
  public FlightInfo getFlightInfoCrossReference(
      CommandGetCrossReference request, CallContext context, FlightDescriptor descriptor) {
    return metadata.flightInfo(request, context, descriptor);
  }

  @Override
  public void getStreamCrossReference(
      CommandGetCrossReference command, CallContext context, ServerStreamListener listener) {
    metadata.stream(command, context, listener);
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
