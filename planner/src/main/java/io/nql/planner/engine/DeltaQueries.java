package io.nql.planner.engine;

import io.nql.planner.catalog.DeltaTables;
import io.nql.planner.catalog.Namespaces;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.parser.SqlCreateMaterializedView;
import io.nql.planner.parser.SqlForecast;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.util.SqlShuttle;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code DELTA(TABLE company_data.x)} and {@code DELTA((query))} in a materialized view's query:
 * rewritten, before validation, into reads of {@link DeltaTables} (the rows appended since the
 * view's last run). {@code DELTA((query))} is the query over its table's new rows, which is the
 * query's new rows only when each row of the query comes from one row of the table: a select list
 * and a {@code WHERE} over one table, or a {@code UNION ALL} of such; anything else (joins,
 * aggregates, {@code DISTINCT}, windows, sub-queries, {@code ORDER BY}, {@code LIMIT}) is refused.
 *
 * <p>Incremental reads are of the caller's own datasets and views and of access rules (the caller's
 * own and those shared with it): a rule's new rows are the rule over its dataset's new rows, told
 * apart by {@linkplain io.nql.planner.iceberg.Lineage row lineage}, which the provider's rewrites
 * of other rows do not disturb. The ledger, {@code information_schema} and the Rosetta Stone cannot
 * be read incrementally.
 */
final class DeltaQueries {
  private DeltaQueries() {}

  private static final String DELTA = "delta";

  private static final Set<String> AGGREGATES =
      SqlStdOperatorTable.instance().getOperatorList().stream()
          .filter(SqlOperator::isAggregator)
          .map(op -> op.getName().toLowerCase(Locale.ROOT))
          .collect(Collectors.toUnmodifiableSet());

  /** Whether a statement reads anything incrementally. */
  static boolean uses(SqlNode node) {
    boolean[] found = {false};
    node.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (isDelta(call)) {
              found[0] = true;
              return null;
            }
            return super.visit(call);
          }
        });
    return found[0];
  }

  /**
   * A statement, refused when it reads incrementally anywhere but in a materialized view's query
   * ({@code CREATE MATERIALIZED VIEW}, or its forecast).
   */
  static SqlNode onlyInViews(SqlNode statement) {
    SqlNode view = statement instanceof SqlForecast f ? f.getQuery() : statement;
    if (!(view instanceof SqlCreateMaterializedView) && uses(statement)) {
      throw outsideView();
    }
    return statement;
  }

  private static NqlException outsideView() {
    return new NqlException(
        ErrorCode.NOT_SUPPORTED,
        "Cannot read DELTA(…): incremental reads are only supported in a materialized view's"
            + " query (rows added since the view's last run)");
  }

  /**
   * A view's query with each {@code DELTA} read rewritten; the query itself when it has none.
   *
   * @param readable whether a {@code namespace.table} name can be read incrementally ({@link
   *     DeltaTables#readable})
   * @throws NqlException 0A000 for a {@code DELTA} of anything but a dataset of the caller or an
   *     access rule, or of a query that is not row by row
   */
  static SqlNode rewrite(SqlNode query, Predicate<List<String>> readable) {
    return query.accept(
        new SqlShuttle() {
          @Override
          public @Nullable SqlNode visit(SqlCall call) {
            if (isDelta(call)) {
              return delta(((SqlCall) call).operand(0), readable);
            }
            return super.visit(call);
          }
        });
  }

  /**
   * A new view's query as its first run reads it (every row of its {@code DELTA} tables), for
   * describing or forecasting it: rewritten, with {@link DeltaTables} added to {@code root} when
   * the query reads incrementally.
   */
  static SqlNode firstRun(SqlNode query, org.apache.calcite.schema.SchemaPlus root) {
    if (!uses(query)) {
      return query;
    }
    SqlNode rewritten = rewrite(query, names -> DeltaTables.readable(root, names));
    DeltaTables.add(root, new io.nql.planner.iceberg.DeltaRead(java.util.Map.of()));
    return rewritten;
  }

  /** {@code TABLE(delta(arg))}, as the parser reads {@code DELTA(arg)} in a FROM clause. */
  private static boolean isDelta(SqlCall call) {
    if (call.getKind() != SqlKind.COLLECTION_TABLE || call.operandCount() != 1) {
      return false;
    }
    return call.operand(0) instanceof SqlCall f
        && f.getOperator() instanceof SqlFunction fn
        && fn.getName().equalsIgnoreCase(DELTA)
        && f.operandCount() == 1;
  }

  private static SqlNode delta(SqlNode callNode, Predicate<List<String>> readable) {
    SqlCall call = (SqlCall) callNode;
    SqlNode arg = call.operand(0);
    if (arg.getKind() == SqlKind.EXPLICIT_TABLE) {
      return table(((SqlCall) arg).operand(0), readable);
    }
    if (arg instanceof SqlSelect || arg.getKind() == SqlKind.UNION) {
      return query(arg, readable);
    }
    throw unsupported(
        arg,
        "DELTA reads a table, DELTA(TABLE company_data.x), or a query of one, DELTA((SELECT …))");
  }

  /** {@code company_data.x} (or {@code x}) as {@code "$delta".company_data.x}. */
  private static SqlIdentifier table(SqlNode name, Predicate<List<String>> readable) {
    if (!(name instanceof SqlIdentifier id) || id.isStar()) {
      throw unsupported(name, "DELTA(TABLE …) names a table");
    }
    List<String> names = id.names;
    if (names.size() == 1) {
      names = List.of(Namespaces.COMPANY_DATA, names.get(0));
    }
    if (!readable.test(names)) {
      throw NqlException.of(
          ErrorCode.NOT_SUPPORTED,
          "Cannot read DELTA(TABLE %s): incremental reads are supported on your company's"
              + " datasets and materialized views (company_data) and on access rules only",
          String.join(".", id.names));
    }
    List<String> delta = new ArrayList<>();
    delta.add(DeltaTables.SCHEMA);
    delta.addAll(names);
    return new SqlIdentifier(delta, id.getParserPosition());
  }

  /** A query of one table, row by row, over the table's new rows. */
  private static SqlNode query(SqlNode query, Predicate<List<String>> readable) {
    if (query.getKind() == SqlKind.UNION) {
      SqlCall union = (SqlCall) query;
      if (union.getOperator() != SqlStdOperatorTable.UNION_ALL) {
        throw unsupported(query, "UNION (without ALL) is not row by row; use UNION ALL");
      }
      List<SqlNode> branches = new ArrayList<>();
      for (SqlNode branch : union.getOperandList()) {
        branches.add(query(branch, readable));
      }
      return union.getOperator().createCall(union.getParserPosition(), branches);
    }
    if (!(query instanceof SqlSelect select)) {
      throw unsupported(query, "a query of one table with a select list and WHERE");
    }
    if (select.isDistinct()
        || select.getGroup() != null
        || select.getHaving() != null
        || !select.getWindowList().isEmpty()
        || select.getQualify() != null
        || select.getOrderList() != null && !select.getOrderList().isEmpty()
        || select.getFetch() != null
        || select.getOffset() != null) {
      throw unsupported(
          query,
          "DISTINCT, GROUP BY, HAVING, WINDOW, QUALIFY, ORDER BY and LIMIT are not row by row");
    }
    SqlNode from = select.getFrom();
    SqlIdentifier alias = null;
    if (from != null && from.getKind() == SqlKind.AS) {
      List<SqlNode> as = ((SqlCall) from).getOperandList();
      if (as.size() != 2) {
        throw unsupported(query, "column aliases on the table are not supported here");
      }
      alias = (SqlIdentifier) as.get(1);
      from = as.get(0);
    }
    if (!(from instanceof SqlIdentifier table)) {
      throw unsupported(query, "the query reads one table (no join, sub-query or function)");
    }
    rowByRow(select.getSelectList(), query);
    if (select.getWhere() != null) {
      rowByRow(select.getWhere(), query);
    }
    SqlIdentifier name = table(table, readable);
    SqlIdentifier as =
        alias != null ? alias : new SqlIdentifier(table.names.get(table.names.size() - 1), pos());
    SqlSelect copy = (SqlSelect) select.clone(select.getParserPosition());
    copy.setFrom(SqlStdOperatorTable.AS.createCall(from.getParserPosition(), name, as));
    return copy;
  }

  /** Refuses sub-queries, window functions and aggregates in an expression. */
  private static void rowByRow(SqlNode expr, SqlNode query) {
    expr.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (call instanceof SqlSelect || call.getKind() == SqlKind.OVER) {
              throw unsupported(query, "sub-queries and window functions are not row by row");
            }
            SqlOperator op = call.getOperator();
            if (op instanceof SqlAggFunction
                || op.isAggregator()
                || AGGREGATES.contains(op.getName().toLowerCase(Locale.ROOT))) {
              throw unsupported(query, "aggregates are not row by row");
            }
            return super.visit(call);
          }

          @Override
          public Void visit(SqlNodeList list) {
            return super.visit(list);
          }
        });
  }

  private static NqlException unsupported(SqlNode arg, String reason) {
    String text = NqlParser.unparse(arg).replaceAll("\\s+", " ");
    if (text.length() > 80) {
      text = text.substring(0, 80) + "…";
    }
    return NqlException.of(
        ErrorCode.NOT_SUPPORTED, "Cannot read DELTA(%s) incrementally: %s", text, reason);
  }

  private static SqlParserPos pos() {
    return SqlParserPos.ZERO;
  }
}
