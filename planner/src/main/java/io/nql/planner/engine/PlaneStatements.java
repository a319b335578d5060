package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.parser.SqlCreateDataPlane;
import io.nql.planner.parser.SqlCreatePlaneDataset;
import io.nql.planner.parser.SqlDropDataPlane;
import io.nql.planner.parser.SqlShowDataPlanes;
import io.nql.planner.plane.DataPlane;
import io.nql.planner.plane.DataPlaneType;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.store.Company;
import io.nql.planner.store.User;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.sql.SqlNode;

/**
 * Runs CREATE / DROP / SHOW DATA PLANE(S) and CREATE DATASET … IN DATA PLANE. Planes belong to the
 * caller's company; no result or error shows a password.
 */
final class PlaneStatements {
  /** The columns of {@code SHOW DATA PLANES}. */
  static final List<ResultColumn> SHOW_COLUMNS =
      List.of(
          new ResultColumn("name", java.sql.Types.VARCHAR, "VARCHAR", 0, 0, false),
          new ResultColumn("type", java.sql.Types.VARCHAR, "VARCHAR", 0, 0, false),
          ResultColumn.varchar("secret"),
          ResultColumn.varchar("url"),
          ResultColumn.varchar("user"),
          ResultColumn.timestamp("created_at"));

  private PlaneStatements() {}

  static boolean handles(SqlNode node) {
    return node instanceof SqlCreateDataPlane
        || node instanceof SqlCreatePlaneDataset
        || node instanceof SqlDropDataPlane
        || node instanceof SqlShowDataPlanes;
  }

  /** Runs a statement {@link #handles} accepts, for {@code user} of {@code company}. */
  static StatementResult run(
      NqlEngine engine, Company company, User user, String statementId, SqlNode node) {
    if (node instanceof SqlCreateDataPlane n) {
      create(engine, company, user, n);
    } else if (node instanceof SqlCreatePlaneDataset n) {
      return PlaneDatasets.create(engine, company, statementId, n);
    } else if (node instanceof SqlDropDataPlane n) {
      // Refused while a dataset rests in the plane (checked in the delete's transaction).
      engine.dataPlanes().drop(company.id(), n.getSimpleName());
    } else {
      List<Object[]> rows = new ArrayList<>();
      for (DataPlane p : engine.dataPlanes().list(company.id())) {
        rows.add(
            new Object[] {
              p.name(),
              p.type().name(),
              p.secretName(),
              p.url(),
              p.user(),
              LocalDateTime.ofInstant(p.createdAt(), ZoneOffset.UTC)
            });
      }
      return StatementResults.rows(statementId, SHOW_COLUMNS, rows);
    }
    return StatementResults.count(statementId, 0);
  }

  private static void create(NqlEngine engine, Company company, User user, SqlCreateDataPlane n) {
    String name = n.getSimpleName();
    DataPlaneType type =
        DataPlaneType.of(n.getTypeName())
            .orElseThrow(
                () ->
                    NqlException.of(
                        ErrorCode.NOT_SUPPORTED,
                        "Cannot create data plane %s: type %s is not supported (supported: %s)",
                        name,
                        n.getTypeName().toUpperCase(Locale.ROOT),
                        DataPlaneType.names()));
    if (n.getSecretName() != null) {
      engine.dataPlanes().createWithSecret(company.id(), user.id(), name, type, n.getSecretName());
      return;
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < n.getKeys().size(); i++) {
      String key = n.getKeys().get(i).toLowerCase(Locale.ROOT);
      if (values.put(key, n.getValues().get(i)) != null) {
        throw NqlException.of(
            ErrorCode.INVALID_PARAMETER_VALUE,
            "Cannot create data plane %s: %s is given twice",
            name,
            key.toUpperCase(Locale.ROOT));
      }
    }
    engine.dataPlanes().create(company.id(), user.id(), name, type, values);
  }
}
