package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.export.ExportFile;
import io.nql.planner.export.ExportFormat;
import io.nql.planner.export.ExportRows;
import io.nql.planner.export.Exporter;
import io.nql.planner.export.TableRows;
import io.nql.planner.parser.SqlExport;
import io.nql.planner.result.ProgressListener;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import io.nql.planner.store.QueryStats;
import io.nql.planner.store.QueryStatus;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.iceberg.Table;

/**
 * {@code EXPORT company_data.<dataset> TO '<path>'} and {@code EXPORT (<query>) TO '<path>'}: one
 * file in the caller's export area, written all or nothing (see {@link ExportFile}).
 *
 * <p>A dataset is read directly at one snapshot: only the caller's own datasets (materialized views
 * included) are datasets to it; another company's dataset is an unknown table, and an access rule
 * is not a dataset (its rows are bought through a query). A query runs as any query of the caller
 * ({@link DmlStatements.Queries}): the rules it reads are metered and charged under the session's
 * budget, and a budget that stops it before its end writes nothing. The target is checked before
 * the query runs, so a refused path buys nothing.
 */
final class ExportStatements {
  /** The columns of an export's answer: rows and bytes written, and the file's path. */
  static final List<ResultColumn> COLUMNS =
      List.of(
          ResultColumn.bigint("rows", false),
          ResultColumn.bigint("bytes", false),
          new ResultColumn("path", java.sql.Types.VARCHAR, "VARCHAR", 0, 0, false));

  private final NqlEngine engine;
  private final DatasetStatements datasets;
  private final Company company;
  private final Supplier<CallerNamespaces> namespaces;

  ExportStatements(
      NqlEngine engine,
      DatasetStatements datasets,
      Company company,
      Supplier<CallerNamespaces> namespaces) {
    this.engine = engine;
    this.datasets = datasets;
    this.company = company;
    this.namespaces = namespaces;
  }

  /**
   * Runs an export.
   *
   * @param queries runs the query of {@code EXPORT (<query>)} as the caller's
   * @param cancel the statement's cancel flag (a cancel or timeout leaves no file: 57014)
   * @param progress told the rows written a few times a second
   */
  StatementResult run(
      String statementId,
      SqlExport n,
      DmlStatements.Queries queries,
      AtomicBoolean cancel,
      ProgressListener progress) {
    ExportFormat format = ExportFormat.of(n.getFormat(), n.getPath());
    if (n.getHeader() != null && format != ExportFormat.CSV) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot export to '%s': HEADER applies to CSV files only",
          n.getPath());
    }
    boolean header = n.getHeader() == null || n.getHeader();
    boolean overwrite = Boolean.TRUE.equals(n.getOverwrite());
    Exporter.Result result;
    if (n.getTable() != null) {
      SqlIdentifier target = n.getTable();
      Dataset exported = dataset(target);
      PlaneDatasets.refuseInPlane(exported, "export");
      Table table = engine.warehouse().loadTable(exported);
      try (TableRows rows = TableRows.of(table)) {
        Exporter.checkFlat(rows.schema(), Names.written(target));
        result = write(rows, n, format, header, overwrite, cancel, progress);
      }
      // a query's result records its own end in the query log; a dataset's export is no query
      engine
          .store()
          .logQueryFinished(
              statementId, QueryStatus.OK, Instant.now(), null, null, QueryStats.NONE);
    } else {
      try (ExportFile file = engine.exportRoots().create(company.slug(), n.getPath(), overwrite);
          QueryRows rows = new QueryRows(queries.run(n.getQuery(), List.of()))) {
        result = Exporter.write(rows, file, format, header, cancel, progress);
      }
    }
    return StatementResults.rows(
        statementId,
        COLUMNS,
        List.<Object[]>of(new Object[] {result.rows(), result.bytes(), result.path().toString()}));
  }

  private Exporter.Result write(
      ExportRows rows,
      SqlExport n,
      ExportFormat format,
      boolean header,
      boolean overwrite,
      AtomicBoolean cancel,
      ProgressListener progress) {
    try (ExportFile file = engine.exportRoots().create(company.slug(), n.getPath(), overwrite)) {
      return Exporter.write(rows, file, format, header, cancel, progress);
    }
  }

  /**
   * The caller's dataset {@code company_data.<name>}; an access rule or a {@code rosetta_stone}
   * table the caller can query gets an error that says to export a query of it.
   */
  private Dataset dataset(SqlIdentifier target) {
    try {
      return datasets.own(target);
    } catch (NqlException e) {
      if (e.code() == ErrorCode.UNKNOWN_TABLE
          && target.names.size() == 2
          && namespaces.get().ruleOrRosetta(target.names.get(0), target.names.get(1)).isPresent()) {
        String written = Names.written(target);
        throw NqlException.of(
            ErrorCode.WRONG_OBJECT_TYPE,
            "Cannot export %s: it is not a dataset; export a query of it instead: EXPORT (SELECT *"
                + " FROM %s) TO '…'",
            written,
            written);
      }
      throw e;
    }
  }
}
