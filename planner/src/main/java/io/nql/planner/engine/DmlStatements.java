package io.nql.planner.engine;

import io.nql.planner.catalog.LineageTables;
import io.nql.planner.catalog.Namespaces;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.Lineage;
import io.nql.planner.ingest.LoadResult;
import io.nql.planner.ingest.RowAppender;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The statements that change an owner's rows: {@code INSERT} (append), {@code DELETE} and {@code
 * UPDATE} (copy-on-write). Each is one Iceberg snapshot, all or nothing, and the rows it writes
 * come from a query that runs as any query of the caller ({@link Queries}): rules it reads are
 * metered and charged under the session's budget, and a budget that stops it writes nothing.
 *
 * <p>{@code DELETE} and {@code UPDATE} read the dataset at the statement's snapshot with, per row,
 * whether the {@code WHERE} holds ({@code (condition) IS TRUE}: NULL is not a match, as in SQL),
 * write every row that stays (updated: each {@code SET} column {@code CASE WHEN match THEN value
 * ELSE column END}) to new files, and replace the snapshot's files by them in one overwrite that
 * fails if another write committed to the dataset since that snapshot (40001: run it again).
 */
final class DmlStatements {
  /** Runs a query of the caller with parameters; the result is metered and charged. */
  interface Queries {
    StatementResult run(SqlNode query, List<Object> parameters);
  }

  /**
   * The name of the match column the rewriting query adds after the dataset's columns (with
   * underscores added while the dataset has a column of that name).
   */
  private static final String MATCH = "nql_dml_match";

  private final NqlEngine engine;
  private final DatasetStatements datasets;
  private final Company company;
  private final Supplier<CatalogCache.State> catalog;

  DmlStatements(
      NqlEngine engine,
      DatasetStatements datasets,
      Company company,
      Supplier<CatalogCache.State> catalog) {
    this.engine = engine;
    this.datasets = datasets;
    this.company = company;
    this.catalog = catalog;
  }

  /**
   * {@code INSERT INTO company_data.<dataset> [(columns)] VALUES … | SELECT …}: the rows of the
   * source appended to the dataset as one snapshot. All or nothing: a value that does not fit its
   * column, a failure of the source, a cancel or a budget that stops the source before its end
   * leaves the dataset as it was (what the source bought stays bought, as for any statement).
   */
  StatementResult insert(
      String statementId, SqlInsert n, List<Object> parameters, Queries queries) {
    Target t = insertTarget(n);
    SqlNode source = n.getSource();
    if (!parameters.isEmpty()) {
      source = typedParameters(source, t.table().schema(), t.targets());
    }
    StatementResult rows = queries.run(source, parameters);
    try {
      if (rows.columns().size() != t.targets().length) {
        throw NqlException.of(
            ErrorCode.COLUMN_COUNT_MISMATCH,
            "Cannot insert into %s: %d values per row for %d columns",
            t.name(),
            rows.columns().size(),
            t.targets().length);
      }
      LoadResult result =
          RowAppender.append(
              t.table(), t.name(), t.targets(), untilTheEnd(rows, "insert into " + t.name()));
      changed(t.dataset());
      return StatementResults.count(statementId, result.rowsLoaded());
    } finally {
      rows.close();
    }
  }

  /** Whether {@code node} is an INSERT, UPDATE or DELETE (a statement of this class). */
  static boolean handles(SqlNode node) {
    return node instanceof SqlInsert || node instanceof SqlDelete || node instanceof SqlUpdate;
  }

  /** Runs an INSERT, UPDATE or DELETE ({@link #handles}). */
  StatementResult run(String statementId, SqlNode node, List<Object> parameters, Queries queries) {
    if (node instanceof SqlInsert n) {
      return insert(statementId, n, parameters, queries);
    }
    return rewrite(statementId, Change.of(node), parameters, queries);
  }

  /** The {@code ?} parameters of a prepared INSERT, UPDATE or DELETE. */
  List<io.nql.planner.result.ResultColumn> parameters(
      SqlNode node, org.apache.calcite.schema.SchemaPlus root) {
    SqlNode query;
    if (node instanceof SqlInsert n) {
      Target t = insertTarget(n);
      query = typedParameters(n.getSource(), t.table().schema(), t.targets());
    } else {
      Change change = Change.of(node);
      Dataset own = datasets.own(change.target());
      PlaneDatasets.refuseInPlane(own, change.delete() ? "delete from" : "update");
      query = change.query(schemaOf(own), false);
    }
    return io.nql.planner.exec.Describing.describe(query, root).parameters();
  }

  /**
   * A DELETE ({@code DELETE FROM company_data.<dataset> [[AS] alias] [WHERE condition]}) or an
   * UPDATE ({@code UPDATE company_data.<dataset> [[AS] alias] SET column = value, … [WHERE
   * condition]}): what its copy-on-write reads.
   */
  private record Change(
      boolean delete,
      SqlIdentifier target,
      @Nullable SqlIdentifier alias,
      @Nullable SqlNode condition,
      @Nullable SqlNodeList columns,
      @Nullable SqlNodeList values) {
    static Change of(SqlNode node) {
      if (node instanceof SqlDelete n) {
        return new Change(
            true,
            DmlStatements.target(n.getTargetTable()),
            n.getAlias(),
            n.getCondition(),
            null,
            null);
      }
      SqlUpdate n = (SqlUpdate) node;
      return new Change(
          false,
          DmlStatements.target(n.getTargetTable()),
          n.getAlias(),
          n.getCondition(),
          n.getTargetColumnList(),
          n.getSourceExpressionList());
    }

    /** The query the change reads over a dataset of {@code schema} ({@link #rewriting}). */
    SqlSelect query(Schema schema, boolean lineage) {
      return rewriting(target, schema, alias, condition, columns, values, lineage);
    }

    /** How an error names the statement: {@code delete from <dataset>} or {@code update …}. */
    String what(String name) {
      return (delete ? "delete from " : "update ") + name;
    }
  }

  private Schema schemaOf(Dataset dataset) {
    return engine.warehouse().loadTable(dataset).schema();
  }

  private static SqlIdentifier target(SqlNode table) {
    if (!(table instanceof SqlIdentifier target)) {
      throw new NqlException(ErrorCode.NOT_SUPPORTED, "Only a dataset can be changed");
    }
    return target;
  }

  /**
   * DELETE or UPDATE by copy-on-write: the dataset read at the statement's snapshot with each row's
   * match, the rows that stay written to new files in place of the snapshot's files.
   */
  private StatementResult rewrite(
      String statementId, Change change, List<Object> parameters, Queries queries) {
    Dataset dataset = datasets.own(change.target());
    PlaneDatasets.refuseInPlane(dataset, change.delete() ? "delete from" : "update");
    String name = Names.written(change.target());
    String what = change.what(name);
    Long snapshot = catalog.get().snapshotId(company.id(), dataset.id());
    if (snapshot == null) {
      throw DatasetStatements.unknownTable(name);
    }
    Table table = engine.warehouse().loadTable(dataset);
    Schema schema = table.schema();
    boolean lineage = Lineage.tracked(table);
    SqlSelect query = change.query(schema, lineage);
    int width = schema.columns().size();
    // each row: the dataset's columns, with lineage its row id and last update, then the match
    int written = lineage ? width + 2 : width;
    StatementResult rows = queries.run(query, parameters);
    try {
      long[] matched = {0};
      Supplier<Object @Nullable []> all = untilTheEnd(rows, what);
      boolean delete = change.delete();
      Supplier<Object @Nullable []> kept =
          () -> {
            for (Object[] row = all.get(); row != null; row = all.get()) {
              boolean match = Boolean.TRUE.equals(row[written]);
              if (match) {
                matched[0]++;
              }
              if (!(delete && match)) {
                Object[] out = java.util.Arrays.copyOf(row, written);
                if (lineage && match) {
                  out[width + 1] = null; // updated: the commit's sequence number is its last update
                }
                return out;
              }
            }
            return null;
          };
      int[] targets = new int[width];
      for (int i = 0; i < width; i++) {
        targets[i] = i;
      }
      if (snapshot < 0) { // no snapshot yet: no rows, nothing to change (the query validated it)
        return StatementResults.count(statementId, 0);
      }
      List<DataFile> files = dataFiles(table, snapshot);
      // Rows are written as they are read; when nothing matched, the files are dropped instead
      // of committed (RowAppender commits only through the function it is given).
      LoadResult result =
          RowAppender.replace(
              table,
              name,
              targets,
              lineage,
              kept,
              snapshot,
              files,
              change.delete() ? "delete" : "update",
              () -> matched[0] > 0,
              Map::of);
      if (matched[0] > 0) {
        changed(dataset);
      }
      return StatementResults.count(statementId, matched[0]);
    } finally {
      rows.close();
    }
  }

  /**
   * The query a DELETE or UPDATE reads: {@code SELECT <each column, or CASE WHEN match THEN value
   * ELSE column END for a SET column>, match FROM (SELECT <alias>.<columns>, (condition) IS TRUE AS
   * match FROM company_data.<dataset> AS <alias>) AS <alias>}.
   */
  private static SqlSelect rewriting(
      SqlIdentifier target,
      Schema schema,
      @Nullable SqlIdentifier alias,
      @Nullable SqlNode condition,
      @Nullable SqlNodeList columns,
      @Nullable SqlNodeList values,
      boolean lineage) {
    SqlParserPos pos = SqlParserPos.ZERO;
    String a = alias != null ? alias.getSimple() : target.names.get(target.names.size() - 1);
    List<Types.NestedField> fields = schema.columns();
    java.util.Map<String, SqlNode> sets = new java.util.LinkedHashMap<>();
    if (columns != null && values != null) {
      for (int i = 0; i < columns.size(); i++) {
        SqlIdentifier c = (SqlIdentifier) columns.get(i);
        String column = c.names.get(c.names.size() - 1);
        if (schema.findField(column) == null) {
          throw NqlException.of(
              ErrorCode.UNKNOWN_COLUMN,
              "Cannot update %s: it has no column '%s'",
              Names.written(target),
              column);
        }
        if (sets.put(column, values.get(i)) != null) {
          throw NqlException.of(
              ErrorCode.SYNTAX_ERROR,
              "Cannot update %s: column '%s' is set twice",
              Names.written(target),
              column);
        }
      }
    }
    SqlNodeList inner = new SqlNodeList(pos);
    for (Types.NestedField f : fields) {
      inner.add(new SqlIdentifier(List.of(a, f.name()), pos));
    }
    SqlNode match =
        condition == null
            ? org.apache.calcite.sql.SqlLiteral.createBoolean(true, pos)
            : SqlStdOperatorTable.IS_TRUE.createCall(pos, condition);
    String matchName = MATCH;
    while (schema.findField(matchName) != null) {
      matchName += "_";
    }
    if (lineage) {
      inner.add(new SqlIdentifier(List.of(a, Lineage.ROW_ID), pos));
      inner.add(new SqlIdentifier(List.of(a, Lineage.LAST_UPDATED), pos));
    }
    inner.add(SqlStdOperatorTable.AS.createCall(pos, match, new SqlIdentifier(matchName, pos)));
    SqlNode from = target;
    if (lineage) { // the dataset with its rows' lineage (LineageTables)
      from =
          new SqlIdentifier(
              List.of(
                  LineageTables.SCHEMA,
                  Namespaces.COMPANY_DATA,
                  target.names.get(target.names.size() - 1)),
              target.getParserPosition());
    }
    SqlSelect read =
        new SqlSelect(
            pos,
            null,
            inner,
            SqlStdOperatorTable.AS.createCall(pos, from, new SqlIdentifier(a, pos)),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    SqlNodeList outer = new SqlNodeList(pos);
    SqlIdentifier matchRef = new SqlIdentifier(List.of(a, matchName), pos);
    for (Types.NestedField f : fields) {
      SqlIdentifier column = new SqlIdentifier(List.of(a, f.name()), pos);
      SqlNode value = sets.get(f.name());
      SqlNode e =
          value == null
              ? column
              : new org.apache.calcite.sql.fun.SqlCase(
                  pos, null, SqlNodeList.of(matchRef), SqlNodeList.of(value), column);
      outer.add(SqlStdOperatorTable.AS.createCall(pos, e, new SqlIdentifier(f.name(), pos)));
    }
    if (lineage) {
      outer.add(new SqlIdentifier(List.of(a, Lineage.ROW_ID), pos));
      outer.add(new SqlIdentifier(List.of(a, Lineage.LAST_UPDATED), pos));
    }
    outer.add(matchRef);
    return new SqlSelect(
        pos,
        null,
        outer,
        SqlStdOperatorTable.AS.createCall(pos, read, new SqlIdentifier(a, pos)),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** The data files of a snapshot. */
  static List<DataFile> dataFiles(Table table, long snapshot) {
    List<DataFile> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    try (CloseableIterable<FileScanTask> tasks =
        table.newScan().useSnapshot(snapshot).planFiles()) {
      for (FileScanTask t : tasks) {
        if (seen.add(t.file().location())) {
          out.add(t.file());
        }
      }
    } catch (java.io.IOException e) {
      throw new NqlException(ErrorCode.IO_ERROR, "Cannot read the files of the dataset", e);
    }
    return out;
  }

  /**
   * The rows of a statement's query, failing at their end when a budget stopped it: a change
   * written from a cut query would be wrong, so it writes nothing (what was bought stays bought).
   */
  private static Supplier<Object @Nullable []> untilTheEnd(StatementResult rows, String what) {
    return () -> {
      Object[] row = rows.next();
      if (row == null && rows.charge().budgetCut()) {
        throw NqlException.of(
            ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
            "Cannot %s: the budget stopped its query after %d rows bought through access rules;"
                + " nothing was changed (raise budget_usd)",
            what,
            rows.charge().rows());
      }
      return row;
    };
  }

  private void changed(Dataset dataset) {
    engine.statistics().afterWrite(dataset);
    engine.dataChanged();
  }

  /** Where an INSERT writes: the dataset, its table, and the column of each value of a row. */
  private record Target(Dataset dataset, String name, Table table, int[] targets) {}

  private Target insertTarget(SqlInsert n) {
    SqlIdentifier target = target(n.getTargetTable());
    Dataset dataset = datasets.own(target);
    PlaneDatasets.refuseInPlane(dataset, "insert into");
    String name = Names.written(target);
    Table table = engine.warehouse().loadTable(dataset);
    int[] targets = insertTargets(table.schema(), n.getTargetColumnList(), name);
    if (!EngineSession.isQuery(n.getSource())) {
      throw new NqlException(
          ErrorCode.NOT_SUPPORTED,
          "Cannot insert into " + name + ": the rows must come from VALUES or a query");
    }
    return new Target(dataset, name, table, targets);
  }

  /**
   * {@code VALUES} whose {@code ?} parameters each stand for a whole value are given the type of
   * their column ({@code CAST(? AS <type>)}): alone, a {@code ?} in {@code VALUES} has no type to
   * validate with. Anything else is left as written.
   */
  private static SqlNode typedParameters(SqlNode source, Schema schema, int[] targets) {
    if (source.getKind() != SqlKind.VALUES) {
      return source;
    }
    JavaTypeFactoryImpl typeFactory =
        new JavaTypeFactoryImpl(io.nql.planner.plan.NqlTypeSystem.INSTANCE);
    RelDataType row = io.nql.planner.iceberg.IcebergTypes.rowType(schema, typeFactory);
    for (SqlNode r : ((SqlCall) source).getOperandList()) {
      if (!(r instanceof SqlCall rowCall) || rowCall.getKind() != SqlKind.ROW) {
        continue;
      }
      for (int i = 0; i < rowCall.operandCount() && i < targets.length; i++) {
        SqlNode value = rowCall.operand(i);
        if (value instanceof SqlDynamicParam) {
          RelDataType type = row.getFieldList().get(targets[i]).getType();
          if (type.getSqlTypeName() == SqlTypeName.DECIMAL) {
            // A DECIMAL parameter keeps its digits (a cast to the column's scale would round
            // them as CAST does); the value is rounded half up to the column's scale when it is
            // written, as in VALUES and COPY INTO.
            type =
                typeFactory.createSqlType(SqlTypeName.DECIMAL, 38, Math.max(18, type.getScale()));
          }
          rowCall.setOperand(
              i,
              SqlStdOperatorTable.CAST.createCall(
                  value.getParserPosition(), value, SqlTypeUtil.convertTypeToSpec(type)));
        }
      }
    }
    return source;
  }

  /**
   * For each value of an inserted row, its column in {@code schema}, as the statement lists them.
   */
  private static int[] insertTargets(Schema schema, @Nullable SqlNodeList columns, String table) {
    List<Types.NestedField> fields = schema.columns();
    if (columns == null) {
      int[] all = new int[fields.size()];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] targets = new int[columns.size()];
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int i = 0; i < targets.length; i++) {
      SqlIdentifier column = (SqlIdentifier) columns.get(i);
      String written = column.getSimple();
      int index = -1;
      for (int f = 0; f < fields.size(); f++) {
        if (fields.get(f).name().equals(written)) {
          index = f;
        }
      }
      if (index < 0) {
        throw NqlException.of(
            ErrorCode.UNKNOWN_COLUMN,
            "Cannot insert into %s: it has no column '%s'",
            table,
            written);
      }
      if (!seen.add(index)) {
        throw NqlException.of(
            ErrorCode.SYNTAX_ERROR,
            "Cannot insert into %s: column '%s' is listed twice",
            table,
            written);
      }
      targets[i] = index;
    }
    return targets;
  }
}
