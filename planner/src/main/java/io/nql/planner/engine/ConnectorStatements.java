package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.ingest.LoadResult;
import io.nql.planner.ingest.postgres.PostgresImport;
import io.nql.planner.ingest.postgres.PostgresUrl;
import io.nql.planner.parser.SqlCopyFromPostgres;
import io.nql.planner.parser.SqlCreateSecret;
import io.nql.planner.parser.SqlDropSecret;
import io.nql.planner.parser.SqlShowSecrets;
import io.nql.planner.result.ProgressListener;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.secret.Secret;
import io.nql.planner.secret.SecretInfo;
import io.nql.planner.secret.SecretType;
import io.nql.planner.store.Company;
import io.nql.planner.store.User;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.calcite.sql.SqlNode;

/**
 * Runs the connector statements: CREATE / DROP / SHOW SECRET(S), and {@code COPY INTO … FROM
 * POSTGRES SECRET …}, which reads with a secret's credentials. Secrets belong to the caller's
 * company; no result or error shows a sensitive value.
 */
final class ConnectorStatements {
  /** The columns of {@code SHOW SECRETS}. */
  static final List<ResultColumn> SHOW_COLUMNS =
      List.of(
          new ResultColumn("name", java.sql.Types.VARCHAR, "VARCHAR", 0, 0, false),
          new ResultColumn("type", java.sql.Types.VARCHAR, "VARCHAR", 0, 0, false),
          ResultColumn.varchar("properties"),
          ResultColumn.timestamp("created_at"));

  private final NqlEngine engine;
  private final DatasetStatements datasets;
  private final Company company;
  private final User user;

  ConnectorStatements(NqlEngine engine, DatasetStatements datasets, Company company, User user) {
    this.engine = engine;
    this.datasets = datasets;
    this.company = company;
    this.user = user;
  }

  static boolean handles(SqlNode node) {
    return node instanceof SqlCreateSecret
        || node instanceof SqlDropSecret
        || node instanceof SqlShowSecrets
        || node instanceof SqlCopyFromPostgres;
  }

  /**
   * Runs a statement {@link #handles} accepts.
   *
   * @param progress an import's progress (rows read); it may stop the import by throwing
   * @param cancel the statement's cancel flag, which also stops an import's query on its server
   */
  StatementResult run(
      String statementId, SqlNode node, ProgressListener progress, AtomicBoolean cancel) {
    if (node instanceof SqlCreateSecret n) {
      create(n);
    } else if (node instanceof SqlDropSecret n) {
      engine.secrets().drop(company.id(), n.getSimpleName());
    } else if (node instanceof SqlShowSecrets) {
      return StatementResults.rows(statementId, SHOW_COLUMNS, show());
    } else {
      return StatementResults.count(
          statementId, copy((SqlCopyFromPostgres) node, progress, cancel).rowsLoaded());
    }
    return StatementResults.count(statementId, 0);
  }

  private void create(SqlCreateSecret node) {
    String name = node.getSimpleName();
    SecretType type =
        SecretType.of(node.getTypeName())
            .orElseThrow(
                () ->
                    NqlException.of(
                        ErrorCode.NOT_SUPPORTED,
                        "Cannot create secret %s: type %s is not supported (supported: %s)",
                        name,
                        node.getTypeName().toUpperCase(Locale.ROOT),
                        SecretType.names()));
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < node.getKeys().size(); i++) {
      String key = node.getKeys().get(i).toLowerCase(Locale.ROOT);
      if (values.put(key, node.getValues().get(i)) != null) {
        throw NqlException.of(
            ErrorCode.INVALID_PARAMETER_VALUE,
            "Cannot create secret %s: %s is given twice",
            name,
            key.toUpperCase(Locale.ROOT));
      }
    }
    engine
        .secrets()
        .create(
            company.id(),
            user.id(),
            name,
            type,
            values,
            checked -> postgresUrl("create", name, checked.get("url")),
            node.getReplace());
  }

  /** The URL of a POSTGRES secret, checked (22023 without repeating the URL). */
  private static PostgresUrl postgresUrl(String verb, String secret, String url) {
    try {
      return PostgresUrl.parse(url);
    } catch (IllegalArgumentException e) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot %s secret %s: %s",
          verb,
          secret,
          e.getMessage());
    }
  }

  private List<Object[]> show() {
    List<Object[]> rows = new ArrayList<>();
    for (SecretInfo s : engine.secrets().list(company.id())) {
      String shown =
          s.shown() == null
              ? "(cannot be decrypted with this gateway's secret key)"
              : s.shown().entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .collect(Collectors.joining(", "));
      rows.add(
          new Object[] {
            s.name(), s.type().name(), shown, LocalDateTime.ofInstant(s.createdAt(), ZoneOffset.UTC)
          });
    }
    return rows;
  }

  private LoadResult copy(
      SqlCopyFromPostgres node, ProgressListener progress, AtomicBoolean cancel) {
    // a bad target, or one in a data plane, fails before anything connects
    datasets.refuseInPlane(node.getTable(), "copy into");
    String name = node.getSecretName();
    Secret secret = engine.secrets().get(company.id(), name, "use");
    if (secret.type() != SecretType.POSTGRES) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot use secret %s: it is a %s secret, not a POSTGRES one",
          name,
          secret.type());
    }
    PostgresUrl url = postgresUrl("use", name, secret.value("url"));
    try (PostgresImport source =
        PostgresImport.open(
            url,
            secret.value("user"),
            secret.value("password"),
            name,
            node.getSourceTable() == null ? null : node.getSourceTable().names,
            node.getQuery(),
            engine.postgresHosts(),
            cancel)) {
      return datasets.load(
          node.getTable(),
          source::schema,
          (dataset, table) -> source.loadInto(table, "company_data." + dataset.name(), progress));
    }
  }
}
