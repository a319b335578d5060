package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.maintenance.Compaction;
import io.nql.planner.parser.SqlOptimize;
import io.nql.planner.result.ProgressListener;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.store.Dataset;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;

/**
 * The table-maintenance statements of a dataset's owner: {@code OPTIMIZE company_data.<ds>
 * [TARGET_FILE_SIZE = '128MB']} ({@link Compaction}) and the advisor's {@code SHOW RECOMMENDATIONS}
 * and {@code APPLY RECOMMENDATION(S)} ({@link AdvisorStatements}). Only the caller's own datasets:
 * another company's, a missing one or a hostile name are the same unknown table; the system tables
 * are refused as for any write.
 */
final class OptimizeStatements {
  /** The one row {@code OPTIMIZE} answers. */
  static final List<ResultColumn> OPTIMIZE_COLUMNS =
      List.of(
          ResultColumn.bigint("files_before", false),
          ResultColumn.bigint("files_after", false),
          ResultColumn.bigint("files_rewritten", false),
          ResultColumn.bigint("files_written", false),
          ResultColumn.bigint("rows_rewritten", false),
          ResultColumn.bigint("bytes_before", false),
          ResultColumn.bigint("bytes_after", false));

  /** The smallest and largest target file sizes accepted. */
  static final long MIN_TARGET = 1024;

  static final long MAX_TARGET = 16L * 1024 * 1024 * 1024;

  private static final Pattern SIZE =
      Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(B|KB|MB|GB)?\\s*", Pattern.CASE_INSENSITIVE);

  private final NqlEngine engine;
  private final DatasetStatements datasets;
  private final io.nql.planner.store.Company company;

  OptimizeStatements(
      NqlEngine engine, DatasetStatements datasets, io.nql.planner.store.Company company) {
    this.engine = engine;
    this.datasets = datasets;
    this.company = company;
  }

  /** Whether this class runs {@code node}. */
  static boolean handles(SqlNode node) {
    return node instanceof SqlOptimize || AdvisorStatements.handles(node);
  }

  /** The shape of a statement's answer ({@link FixedShapes}). */
  static PreparedInfo shape(SqlNode node) {
    if (node instanceof SqlOptimize) {
      return new PreparedInfo(true, OPTIMIZE_COLUMNS, List.of());
    }
    return AdvisorStatements.shape(node);
  }

  /** Runs a statement this class {@link #handles}. */
  StatementResult run(String statementId, SqlNode node, ProgressListener progress) {
    if (node instanceof SqlOptimize n) {
      Dataset dataset = datasets.own(n.dataset());
      PlaneDatasets.refuseInPlane(dataset, "optimize");
      Compaction.Result r =
          optimize(engine, dataset, options(n.options(), Names.written(n.dataset())), progress);
      return StatementResults.rows(statementId, OPTIMIZE_COLUMNS, List.<Object[]>of(row(r)));
    }
    return new AdvisorStatements(engine, datasets, company).run(statementId, node, progress);
  }

  /** The summary row of a compaction. */
  static Object[] row(Compaction.Result r) {
    return new Object[] {
      (long) r.filesBefore(),
      (long) r.filesAfter(),
      (long) r.filesRewritten(),
      (long) r.filesWritten(),
      r.rows(),
      r.bytesBefore(),
      r.bytesAfter()
    };
  }

  /**
   * Compacts a dataset ({@link Compaction#run}) and, when it committed, records the data change so
   * that cached tables and plans move to the new snapshot. For the statement and the scheduler.
   */
  static Compaction.Result optimize(
      NqlEngine engine, Dataset dataset, Compaction.Options options, ProgressListener progress) {
    Compaction.Result r = Compaction.run(engine.warehouse(), dataset, options, progress);
    if (r.snapshotId().isPresent()) {
      engine.dataChanged();
    }
    return r;
  }

  /** The options of an {@code OPTIMIZE}: {@code TARGET_FILE_SIZE}, at most once. */
  static Compaction.Options options(SqlNodeList written, String name) {
    long target = Compaction.Options.DEFAULT.targetFileSize();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i + 1 < written.size(); i += 2) {
      String option = ((SqlIdentifier) written.get(i)).getSimple().toUpperCase(Locale.ROOT);
      if (!seen.add(option)) {
        throw NqlException.of(
            ErrorCode.SYNTAX_ERROR, "Cannot optimize %s: option %s is given twice", name, option);
      }
      if (!option.equals("TARGET_FILE_SIZE")) {
        throw NqlException.of(
            ErrorCode.SYNTAX_ERROR,
            "Cannot optimize %s: unknown option %s (the option is TARGET_FILE_SIZE)",
            name,
            option);
      }
      target = size(written.get(i + 1), name);
    }
    return new Compaction.Options(target, false);
  }

  /** A size: a number of bytes, or text such as {@code '128MB'} (B, KB, MB, GB of 1024). */
  private static long size(SqlNode value, String name) {
    String text =
        value instanceof SqlLiteral l && l.toValue() != null ? l.toValue() : value.toString();
    Matcher m = SIZE.matcher(text);
    long bytes = -1;
    if (m.matches()) {
      String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
      int shift =
          switch (unit) {
            case "KB" -> 10;
            case "MB" -> 20;
            case "GB" -> 30;
            default -> 0;
          };
      BigDecimal b = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift));
      bytes = b.compareTo(BigDecimal.valueOf(MAX_TARGET)) > 0 ? Long.MAX_VALUE : b.longValue();
    }
    if (bytes < MIN_TARGET || bytes > MAX_TARGET) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot optimize %s: TARGET_FILE_SIZE must be a size from 1KB to 16GB, such as '128MB'",
          name);
    }
    return bytes;
  }
}
