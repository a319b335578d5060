package io.nql.planner.engine;

import io.nql.planner.catalog.Namespaces;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.exec.CancelChecks;
import io.nql.planner.ingest.LoadResult;
import io.nql.planner.ingest.RowAppender;
import io.nql.planner.parser.SqlCreateDataset;
import io.nql.planner.parser.SqlDatasetColumn;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Bulk ingestion into a dataset of the caller's company ({@link NqlSession#ingest}): the dataset
 * created from the columns when missing (as {@code CREATE DATASET} would, with its checks), then
 * every row appended, or put in place of the dataset's rows, as one snapshot — all or nothing, as
 * {@code INSERT}. Values are converted to the dataset's column types as {@code INSERT} converts
 * them; columns of an existing dataset the rows do not have are NULL.
 */
final class BulkIngest {
  private static final SqlParserPos POS = SqlParserPos.ZERO;

  private final NqlEngine engine;
  private final Company company;
  private final DatasetStatements datasets;

  BulkIngest(NqlEngine engine, Company company, DatasetStatements datasets) {
    this.engine = engine;
    this.company = company;
    this.datasets = datasets;
  }

  long run(
      String statementId, IngestRequest request, Iterator<Object[]> rows, AtomicBoolean cancel) {
    String schema = request.schema();
    SqlIdentifier target =
        new SqlIdentifier(List.of(Namespaces.COMPANY_DATA, request.dataset()), POS);
    String written = Names.written(target);
    if (schema != null && !schema.isEmpty() && !schema.equals(Namespaces.COMPANY_DATA)) {
      throw NqlException.of(
          ErrorCode.INSUFFICIENT_PRIVILEGE,
          "Cannot ingest into %s.%s: rows are loaded into your company's own datasets only"
              + " (schema company_data)",
          schema,
          request.dataset());
    }
    if (request.columns().isEmpty()) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot ingest into %s: the rows have no columns",
          written);
    }
    Optional<Dataset> existing = engine.warehouse().dataset(company.id(), request.dataset());
    boolean created = false;
    if (existing.isEmpty()) {
      if (request.ifMissing() == IngestRequest.IfMissing.FAIL) {
        throw DatasetStatements.unknownTable(written);
      }
      datasets.create(statementId, createStatement(request.dataset(), request.columns()));
      created = true;
      existing = engine.warehouse().dataset(company.id(), request.dataset());
    } else if (request.ifExists() == IngestRequest.IfExists.FAIL) {
      throw NqlException.of(
          ErrorCode.DUPLICATE_TABLE,
          "Cannot ingest into %s: the dataset exists (append or replace its rows instead)",
          written);
    }
    Dataset dataset = existing.orElseThrow(() -> DatasetStatements.unknownTable(written));
    PlaneDatasets.refuseInPlane(dataset, "ingest into");
    try {
      Table table = engine.warehouse().loadTable(dataset);
      int[] targets = targets(written, table, request.columns());
      java.util.function.Supplier<Object @Nullable []> next =
          () -> {
            CancelChecks.check(cancel);
            return rows.hasNext() ? rows.next() : null;
          };
      Snapshot current = table.currentSnapshot();
      LoadResult result =
          request.ifExists() == IngestRequest.IfExists.REPLACE && current != null
              ? RowAppender.replace(
                  table,
                  written,
                  targets,
                  next,
                  current.snapshotId(),
                  DmlStatements.dataFiles(table, current.snapshotId()),
                  "ingest into",
                  () -> true)
              : RowAppender.append(table, written, targets, next);
      if (result.snapshotId().isPresent()) {
        engine.statistics().afterWrite(dataset);
        engine.dataChanged();
      }
      return result.rowsLoaded();
    } catch (RuntimeException e) {
      if (created) { // nothing is left of a load that failed, not even the dataset it created
        try {
          engine.warehouse().dropDataset(dataset);
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /** The dataset column of each row column; every row column must name one. */
  private static int[] targets(String written, Table table, List<IngestRequest.Column> columns) {
    Map<String, Integer> byName = new HashMap<>();
    List<Types.NestedField> fields = table.schema().columns();
    for (int i = 0; i < fields.size(); i++) {
      byName.put(fields.get(i).name(), i);
    }
    int[] targets = new int[columns.size()];
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int i = 0; i < columns.size(); i++) {
      String name = columns.get(i).name();
      Integer t = byName.get(name);
      if (t == null) {
        throw NqlException.of(
            ErrorCode.UNKNOWN_COLUMN,
            "Cannot ingest into %s: the dataset has no column '%s'",
            written,
            name);
      }
      if (!seen.add(t)) {
        throw NqlException.of(
            ErrorCode.DUPLICATE_COLUMN,
            "Cannot ingest into %s: column '%s' appears twice in the rows",
            written,
            name);
      }
      targets[i] = t;
    }
    return targets;
  }

  /** {@code CREATE DATASET} of the columns: the same names, types and checks as the statement. */
  private static SqlCreateDataset createStatement(
      String dataset, List<IngestRequest.Column> columns) {
    SqlIdentifier target = new SqlIdentifier(dataset, POS);
    List<org.apache.calcite.sql.SqlNode> defs = new ArrayList<>();
    for (IngestRequest.Column c : columns) {
      SqlBasicTypeNameSpec type =
          switch (c.type()) {
            case BOOLEAN -> new SqlBasicTypeNameSpec(SqlTypeName.BOOLEAN, POS);
            case TINYINT, SMALLINT, INTEGER -> new SqlBasicTypeNameSpec(SqlTypeName.INTEGER, POS);
            case BIGINT -> new SqlBasicTypeNameSpec(SqlTypeName.BIGINT, POS);
            case REAL, FLOAT -> new SqlBasicTypeNameSpec(SqlTypeName.REAL, POS);
            case DOUBLE -> new SqlBasicTypeNameSpec(SqlTypeName.DOUBLE, POS);
            case DECIMAL, NUMERIC ->
                new SqlBasicTypeNameSpec(SqlTypeName.DECIMAL, c.precision(), c.scale(), POS);
            case CHAR, VARCHAR, LONGVARCHAR, NCHAR, NVARCHAR, LONGNVARCHAR ->
                new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, POS);
            case BINARY, VARBINARY, LONGVARBINARY ->
                new SqlBasicTypeNameSpec(SqlTypeName.VARBINARY, POS);
            case DATE -> new SqlBasicTypeNameSpec(SqlTypeName.DATE, POS);
            case TIME -> new SqlBasicTypeNameSpec(SqlTypeName.TIME, POS);
            case TIMESTAMP -> new SqlBasicTypeNameSpec(SqlTypeName.TIMESTAMP, POS);
            case TIMESTAMP_WITH_TIMEZONE ->
                new SqlBasicTypeNameSpec(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, POS);
            default ->
                throw NqlException.of(
                    ErrorCode.NOT_SUPPORTED,
                    "Cannot ingest into %s: column '%s' has type %s, which datasets do not"
                        + " support",
                    Names.written(
                        new SqlIdentifier(List.of(Namespaces.COMPANY_DATA, dataset), POS)),
                    c.name(),
                    c.typeName());
          };
      defs.add(
          new SqlDatasetColumn(
              POS, new SqlIdentifier(c.name(), POS), new SqlDataTypeSpec(type, POS)));
    }
    return new SqlCreateDataset(POS, target, new SqlNodeList(defs, POS), SqlNodeList.EMPTY);
  }
}
