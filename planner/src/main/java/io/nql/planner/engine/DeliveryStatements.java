package io.nql.planner.engine;

import io.nql.planner.catalog.Namespaces;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.parser.SqlCreateDelivery;
import io.nql.planner.parser.SqlDropDelivery;
import io.nql.planner.parser.SqlResumeDelivery;
import io.nql.planner.parser.SqlShowDeliveries;
import io.nql.planner.parser.SqlShowDeliveryLog;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import io.nql.planner.store.User;
import io.nql.planner.store.WebhookDeliveries;
import io.nql.planner.store.WebhookDeliveries.Attempt;
import io.nql.planner.store.WebhookDeliveries.Delivery;
import io.nql.planner.store.WebhookDeliveries.PendingRun;
import io.nql.planner.store.WebhookDeliveries.Progress;
import io.nql.planner.webhook.WebhookHosts;
import io.nql.planner.webhook.WebhookUrl;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code CREATE DELIVERY}, {@code DROP DELIVERY}, {@code RESUME DELIVERY}, {@code SHOW DELIVERIES}
 * and {@code SHOW DELIVERY LOG}: a company's webhook deliveries of its materialized views (the
 * {@link DeliveryScheduler} sends them). A delivery belongs to the view's company; another
 * company's delivery or view answers as a missing one.
 */
final class DeliveryStatements {
  /** Letters, digits and underscores, as view names. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,128}");

  /** Rows per request when {@code BATCH_ROWS} is not given. */
  static final int DEFAULT_BATCH_ROWS = 1000;

  /** Most rows per request. */
  static final int MAX_BATCH_ROWS = 100_000;

  /** Most attempts {@code SHOW DELIVERY LOG} returns. */
  static final int LOG_ROWS = 1000;

  private final NqlEngine engine;
  private final DatasetStatements datasets;
  private final Company company;
  private final User user;

  DeliveryStatements(NqlEngine engine, DatasetStatements datasets, Company company, User user) {
    this.engine = engine;
    this.datasets = datasets;
    this.company = company;
    this.user = user;
  }

  /** Whether {@code node} is one of these statements. */
  static boolean handles(SqlNode node) {
    return node instanceof SqlCreateDelivery
        || node instanceof SqlDropDelivery
        || node instanceof SqlResumeDelivery
        || node instanceof SqlShowDeliveries
        || node instanceof SqlShowDeliveryLog;
  }

  /** Runs one of these statements (see {@link #handles}). */
  StatementResult run(String statementId, SqlNode node) {
    if (node instanceof SqlCreateDelivery n) {
      return create(statementId, n);
    }
    if (node instanceof SqlDropDelivery n) {
      if (!store().drop(company.id(), n.getSimpleName())) {
        throw unknown("drop", n.getSimpleName());
      }
      return StatementResults.count(statementId, 0);
    }
    if (node instanceof SqlResumeDelivery n) {
      if (!store().resume(company.id(), n.getName().getSimple())) {
        throw unknown("resume", n.getName().getSimple());
      }
      return StatementResults.count(statementId, 0);
    }
    if (node instanceof SqlShowDeliveryLog n) {
      return log(statementId, n.getName().getSimple());
    }
    return show(statementId);
  }

  private WebhookDeliveries store() {
    return engine.store().webhookDeliveries();
  }

  private StatementResult create(String statementId, SqlCreateDelivery n) {
    String name = n.getSimpleName();
    if (!NAME.matcher(name).matches()) {
      throw NqlException.of(
          ErrorCode.INVALID_NAME,
          "Cannot create delivery %s: a delivery name has 1 to 128 letters, digits and"
              + " underscores",
          name);
    }
    long viewId = view(n.getView(), name);
    WebhookUrl url;
    try {
      url = WebhookUrl.parse(n.getUrl());
    } catch (IllegalArgumentException e) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE, "Cannot create delivery %s: %s", name, e.getMessage());
    }
    WebhookHosts hosts = engine.webhookHosts();
    switch (hosts.check(url)) {
      case REFUSED ->
          throw NqlException.of(
              ErrorCode.INSUFFICIENT_PRIVILEGE,
              "Cannot create delivery %s: %s",
              name,
              hosts.none()
                  ? "this gateway allows no webhooks (--webhook-hosts none)"
                  : "this gateway does not allow webhooks to host " + url.host());
      case UNRESOLVED ->
          throw NqlException.of(
              ErrorCode.INVALID_PARAMETER_VALUE,
              "Cannot create delivery %s: host %s does not resolve",
              name,
              url.host());
      case ALLOWED -> {}
    }
    int batchRows = n.getBatchRows() == null ? DEFAULT_BATCH_ROWS : n.getBatchRows();
    if (batchRows > MAX_BATCH_ROWS) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot create delivery %s: BATCH_ROWS is at most %d",
          name,
          MAX_BATCH_ROWS);
    }
    store()
        .create(
            company.id(),
            viewId,
            name,
            n.getUrl(),
            n.getFormat() == null ? "ndjson" : n.getFormat(),
            batchRows,
            user.id());
    return StatementResults.count(statementId, 0);
  }

  /** The dataset id of the caller's view {@code name}, for delivery {@code delivery}. */
  private long view(SqlIdentifier name, String delivery) {
    SqlIdentifier qualified =
        name.names.size() == 1
            ? new SqlIdentifier(
                List.of(Namespaces.COMPANY_DATA, name.getSimple()), name.getParserPosition())
            : name;
    Dataset dataset = datasets.own(qualified);
    if (engine.store().views().get(company.id(), dataset.id()).isEmpty()) {
      throw NqlException.of(
          ErrorCode.WRONG_OBJECT_TYPE,
          "Cannot create delivery %s: %s is a dataset, not a materialized view",
          delivery,
          Names.written(name));
    }
    return dataset.id();
  }

  private static NqlException unknown(String verb, String name) {
    return NqlException.of(
        ErrorCode.UNDEFINED_OBJECT, "Cannot %s delivery %s: no delivery of that name", verb, name);
  }

  /** The columns of {@code SHOW DELIVERIES}. */
  static final List<ResultColumn> SHOW_COLUMNS =
      List.of(
          notNull("name"),
          notNull("view"),
          notNull("url"),
          notNull("format"),
          ResultColumn.bigint("batch_rows", false),
          notNull("status"),
          ResultColumn.bigint("last_delivered_run", true),
          ResultColumn.bigint("rows_delivered", false),
          ResultColumn.bigint("batches_delivered", false),
          ResultColumn.bigint("failed_attempts", false),
          ResultColumn.varchar("last_error"),
          ResultColumn.timestamp("last_attempt_at"),
          ResultColumn.timestamp("next_attempt_at"),
          ResultColumn.timestamp("created_at"));

  private StatementResult show(String statementId) {
    List<Object[]> rows = new ArrayList<>();
    for (Delivery d : store().ofCompany(company.id())) {
      Progress p = d.progress();
      rows.add(
          new Object[] {
            d.name(),
            d.viewName(),
            WebhookUrl.parse(d.url()).redacted(),
            d.format(),
            (long) d.batchRows(),
            status(d),
            p.lastRunId(),
            p.rowsDelivered(),
            p.batchesDelivered(),
            p.failedAttempts(),
            p.lastError(),
            time(p.lastAttemptAt()),
            time(p.status().equals("failed") ? null : p.nextAttemptAt()),
            time(d.createdAt())
          });
    }
    return StatementResults.rows(statementId, SHOW_COLUMNS, rows);
  }

  /**
   * {@code failed} (stopped until {@code RESUME DELIVERY}), {@code retrying} (a batch failed and
   * waits for its next attempt), {@code delivering} (a finished run has batches to send) or {@code
   * up to date}.
   */
  private String status(Delivery d) {
    Progress p = d.progress();
    if (p.status().equals("failed")) {
      return "failed";
    }
    if (p.attempts() > 0) {
      return "retrying";
    }
    if (p.runId() != null) {
      return "delivering";
    }
    Optional<PendingRun> next = store().nextRun(d.datasetId(), p.doneRunId());
    return next.isPresent() && !next.get().running() ? "delivering" : "up to date";
  }

  /** The columns of {@code SHOW DELIVERY LOG}. */
  static final List<ResultColumn> LOG_COLUMNS =
      List.of(
          ResultColumn.timestamp("attempted_at"),
          ResultColumn.bigint("run", false),
          ResultColumn.bigint("snapshot", false),
          ResultColumn.bigint("batch", false),
          ResultColumn.bigint("batches", false),
          ResultColumn.bigint("rows", false),
          notNull("idempotency_key"),
          ResultColumn.bigint("attempt", false),
          ResultColumn.bigint("http_status", true),
          notNull("outcome"),
          ResultColumn.bigint("duration_ms", false),
          ResultColumn.varchar("error"));

  private StatementResult log(String statementId, String name) {
    Delivery d = store().get(company.id(), name).orElseThrow(() -> unknown("show", name));
    List<Object[]> rows = new ArrayList<>();
    for (Attempt a : store().log(d.id(), LOG_ROWS)) {
      rows.add(
          new Object[] {
            time(a.attemptedAt()),
            a.runId(),
            a.snapshotId(),
            (long) a.batch(),
            (long) a.batches(),
            a.rows(),
            a.idempotencyKey(),
            (long) a.attempt(),
            a.httpStatus() == null ? null : (long) a.httpStatus(),
            a.outcome(),
            a.durationMillis(),
            a.error()
          });
    }
    return StatementResults.rows(statementId, LOG_COLUMNS, rows);
  }

  private static ResultColumn notNull(String name) {
    return new ResultColumn(name, java.sql.Types.VARCHAR, "VARCHAR", 0, 0, false);
  }

  private static @Nullable LocalDateTime time(@Nullable Instant t) {
    return t == null ? null : LocalDateTime.ofInstant(t, ZoneOffset.UTC);
  }
}
