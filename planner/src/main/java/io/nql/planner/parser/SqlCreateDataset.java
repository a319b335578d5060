package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code CREATE DATASET "<name>" (<col> <type> [NOT NULL], ...) [PARTITIONED_BY ...] [SORTED_BY
 * <col> [ASC|DESC], ...] [BLOOM_FILTER <col>, ...]} (the clauses after the columns in any order).
 */
public class SqlCreateDataset extends SqlCreate {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE DATASET", SqlKind.OTHER_DDL);

  private final SqlIdentifier name;
  private final SqlNodeList columns;
  private final SqlNodeList partitions;
  private final SqlNodeList sortedBy;
  private final SqlNodeList bloomFilters;

  /**
   * Creates the statement without a sort order or bloom filters; {@code columns} holds {@link
   * SqlDatasetColumn}s and {@code partitions} {@link SqlPartitionField}s (empty when there is no
   * PARTITIONED_BY).
   */
  public SqlCreateDataset(
      SqlParserPos pos, SqlIdentifier name, SqlNodeList columns, SqlNodeList partitions) {
    this(pos, name, columns, partitions, SqlNodeList.EMPTY, SqlNodeList.EMPTY);
  }

  /**
   * Creates the statement; {@code sortedBy} holds {@link SqlSortField}s and {@code bloomFilters}
   * {@link SqlIdentifier}s (each empty when the clause is absent).
   */
  public SqlCreateDataset(
      SqlParserPos pos,
      SqlIdentifier name,
      SqlNodeList columns,
      SqlNodeList partitions,
      SqlNodeList sortedBy,
      SqlNodeList bloomFilters) {
    super(OPERATOR, pos, false, false);
    this.name = name;
    this.columns = columns;
    this.partitions = partitions;
    this.sortedBy = sortedBy;
    this.bloomFilters = bloomFilters;
  }

  /** The dataset name. */
  public SqlIdentifier getName() {
    return name;
  }

  /** The dataset name as a string. */
  public String getSimpleName() {
    return name.getSimple();
  }

  /** The columns, in order. */
  public List<SqlDatasetColumn> getColumns() {
    return columns.stream().map(SqlDatasetColumn.class::cast).toList();
  }

  /** The partition fields, in order; empty when there is no PARTITIONED_BY. */
  public List<SqlPartitionField> getPartitionFields() {
    return partitions.stream().map(SqlPartitionField.class::cast).toList();
  }

  /** The sort order's fields, in order; empty when there is no SORTED_BY. */
  public List<SqlSortField> getSortFields() {
    return sortedBy.stream().map(SqlSortField.class::cast).toList();
  }

  /** The columns with a bloom filter, in order; empty when there is no BLOOM_FILTER. */
  public List<String> getBloomFilterColumns() {
    return bloomFilters.stream().map(n -> ((SqlIdentifier) n).getSimple()).toList();
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(name, columns, partitions, sortedBy, bloomFilters);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE DATASET");
    name.unparse(writer, 0, 0);
    Unparsing.parenthesized(writer, columns.getList());
    if (!partitions.isEmpty()) {
      writer.keyword("PARTITIONED_BY");
      Unparsing.commaList(writer, partitions.getList());
    }
    if (!sortedBy.isEmpty()) {
      writer.keyword("SORTED_BY");
      Unparsing.commaList(writer, sortedBy.getList());
    }
    if (!bloomFilters.isEmpty()) {
      writer.keyword("BLOOM_FILTER");
      Unparsing.commaList(writer, bloomFilters.getList());
    }
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
