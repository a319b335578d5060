package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.exec.ArrowBatchReader;
import io.nql.planner.exec.QueryResult;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.plane.postgres.OpenScans;
import io.nql.planner.policy.Deliveries;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.store.MetadataStore;
import io.nql.planner.store.QueryStats;
import io.nql.planner.store.QueryStatus;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running query: streams rows from the executor and, when it ends (consumed, closed early, failed
 * or cancelled), records its status, rows and scan metrics in the query log.
 */
final class QueryStatementResult implements StatementResult {
  private static final Logger LOG = LoggerFactory.getLogger(QueryStatementResult.class);

  private final String statementId;
  private final QueryResult result;
  private final OpenScans scans;
  private final MetadataStore store;
  private final List<ResultColumn> columns;
  private final Deliveries deliveries;
  private final Budgets.Budget budget;
  private final long buyerCompanyId;
  private final List<StatementWarning> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
  private long rows;
  private final AtomicBoolean cancelFlag;
  private final StatementReport report;
  private long firstRowNanos = -1;
  private boolean finished;

  QueryStatementResult(
      String statementId,
      QueryResult result,
      OpenScans scans,
      MetadataStore store,
      Deliveries deliveries,
      Budgets.Budget budget,
      long buyerCompanyId,
      AtomicBoolean cancelFlag,
      StatementReport report) {
    this.statementId = statementId;
    this.result = result;
    this.scans = scans;
    this.store = store;
    this.deliveries = deliveries;
    this.budget = budget;
    this.buyerCompanyId = buyerCompanyId;
    this.cancelFlag = cancelFlag;
    this.report = report;
    this.columns = result.columns();
  }

  @Override
  public String statementId() {
    return statementId;
  }

  @Override
  public boolean isQuery() {
    return true;
  }

  @Override
  public List<ResultColumn> columns() {
    return columns;
  }

  @Override
  public long updateCount() {
    return -1;
  }

  /**
   * Asks the result to stop: the next fetch, or the one running now (also while an operator
   * computes before its first row), fails with QUERY_CANCELED.
   */
  void cancel() {
    cancelFlag.set(true);
  }

  @Override
  public synchronized Object[] next() {
    if (finished) {
      return null;
    }
    return produce(
        () -> {
          if (result.next()) {
            delivered(1);
            noteBudgetCut();
            return result.row();
          }
          noteBudgetCut();
          finish(QueryStatus.OK, null);
          return null;
        });
  }

  /**
   * Produces the next rows with the statement's cancel and failure handling, shared by the row and
   * batch fetches: a cancel fails with QUERY_CANCELED, an engine error is recorded and rethrown,
   * anything else becomes a clean internal error (logged here, never shown).
   */
  private <T> T produce(java.util.function.Supplier<T> fetch) {
    if (cancelFlag.get()) {
      throw cancelled();
    }
    try {
      return fetch.get();
    } catch (NqlException e) {
      if (e.code() == ErrorCode.QUERY_CANCELED) {
        throw cancelled();
      }
      finish(QueryStatus.ERROR, e);
      throw e;
    } catch (RuntimeException e) {
      LOG.error("Statement {} failed while producing rows", statementId, e);
      NqlException wrapped =
          new NqlException(
              ErrorCode.INTERNAL_ERROR,
              "Internal error in statement " + statementId + "; see the gateway log",
              e);
      finish(QueryStatus.ERROR, wrapped);
      throw wrapped;
    }
  }

  private NqlException cancelled() {
    NqlException e =
        new NqlException(ErrorCode.QUERY_CANCELED, "Statement " + statementId + " was cancelled");
    finish(QueryStatus.CANCELLED, e);
    return e;
  }

  @Override
  public ArrowReader arrow(BufferAllocator allocator, int batchRows) {
    if (result.canLoadBatches()) {
      return new ArrowBatchReader(
          result.columns(), this::loadBatch, this::close, allocator, batchRows);
    }
    return ArrowRows.reader(columns, this::next, this::close, allocator, batchRows);
  }

  @Override
  public long planningNanos() {
    return result.planningNanos();
  }

  @Override
  public boolean planCacheHit() {
    return result.planCacheHit();
  }

  /** Whether the vector path runs this statement (else the row engine). */
  boolean vectorized() {
    return result.vectorized();
  }

  /** Parquet pages this statement's scans read (so far). */
  long pagesRead() {
    return result.metrics().pagesRead();
  }

  /** Rows the statement's scans decoded in every column they deliver (so far). */
  long rowsDecoded() {
    return result.metrics().rowsDecoded();
  }

  /** Aggregations the vector path ran for this statement's row-engine plan (so far). */
  long batchAggregations() {
    return result.metrics().batchAggregations();
  }

  private synchronized int loadBatch(
      VectorSchemaRoot root, BufferAllocator allocator, int batchRows) {
    if (finished) {
      return 0;
    }
    return produce(
        () -> {
          int n = result.loadBatch(root, allocator, batchRows);
          delivered(n);
          noteBudgetCut();
          if (n == 0) {
            finish(QueryStatus.OK, null);
          }
          return n;
        });
  }

  /** Counts rows handed out; the first ones mark the statement's time to its first row. */
  private void delivered(int n) {
    if (rows == 0 && n > 0) {
      firstRowNanos = report.elapsedNanos();
    }
    rows += n;
  }

  @Override
  public List<StatementWarning> warnings() {
    return List.copyOf(warnings);
  }

  @Override
  public Charge charge() {
    return new Charge(deliveries.rows(), deliveries.spentMicros(), deliveries.wasCut());
  }

  /** Adds the budget warning once, as soon as a meter has stopped a delivery. */
  private void noteBudgetCut() {
    if (warnings.isEmpty() && deliveries.wasCut()) {
      warnings.add(
          new StatementWarning(
              "01N01",
              "Delivery stopped at "
                  + budget.description()
                  + " after "
                  + deliveries.rows()
                  + " rows bought through access rules ("
                  + Deliveries.usd(deliveries.spentMicros())
                  + " USD spent)"));
    }
  }

  private void finish(QueryStatus status, NqlException error) {
    if (finished) {
      return;
    }
    finished = true;
    result.close();
    // Scans an operator failed to close (see OpenScans) end with the statement.
    scans.closeAll();
    try {
      deliveries.settle();
      report.settled(deliveries, buyerCompanyId);
    } catch (RuntimeException e) {
      // The reservations stay open; the next start of this gateway reconciles them.
      LOG.error("Cannot settle the deliveries of statement {} in the ledger", statementId, e);
    }
    ScanMetrics m = result.metrics();
    QueryStats stats =
        new QueryStats(rows, m.filesPlanned(), m.filesSkipped(), m.bytesPlanned(), m.rowsRead());
    // Which executor ran the statement: operators tell a vectorized scan from a row-engine
    // fallback.
    LOG.debug(
        "event=statement_finished statement={} status={} executor={} rows={} rows_read={}"
            + " rows_decoded={} read_ahead={} files={} files_skipped={}",
        statementId,
        status,
        result.vectorized() ? "vector" : m.batchAggregations() > 0 ? "row+vector_aggregate" : "row",
        rows,
        m.rowsRead(),
        m.rowsDecoded(),
        m.readAheads(),
        m.filesPlanned(),
        m.filesSkipped());
    try {
      store.logQueryFinished(
          statementId,
          status,
          Instant.now(),
          error == null ? null : error.sqlState(),
          error == null ? null : error.getMessage(),
          stats);
    } catch (RuntimeException e) {
      LOG.warn("Cannot record the end of statement {} in the query log", statementId, e);
    }
    report.ended(
        switch (status) {
          case OK -> FinishedStatement.Outcome.OK;
          case CANCELLED -> FinishedStatement.Outcome.CANCELLED;
          default -> FinishedStatement.Outcome.ERROR;
        },
        error == null ? null : error.sqlState(),
        true,
        result.planningNanos(),
        firstRowNanos,
        rows);
  }

  @Override
  public synchronized void close() {
    if (cancelFlag.get() && !finished) {
      // closed after a cancel or a timeout (e.g. by the front end that reports it): logged as such
      cancelled();
      return;
    }
    finish(QueryStatus.OK, null);
  }
}
