package io.nql.planner.parser;

import java.util.ArrayList;
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
 * {@code CREATE DATASET "<name>" IN DATA PLANE <plane> TABLE '<schema.table>'}: a dataset whose
 * rows rest in a table of one of the company's data planes, its columns read from the table. The
 * clauses of an embedded dataset (PARTITIONED_BY, SORTED_BY, BLOOM_FILTER) parse after it, so that
 * the engine can refuse them clearly.
 */
public class SqlCreatePlaneDataset extends SqlCreate {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE DATASET IN DATA PLANE", SqlKind.OTHER_DDL);

  private final SqlIdentifier name;
  private final SqlIdentifier plane;
  private final String table;
  private final SqlNodeList partitions;
  private final SqlNodeList sortedBy;
  private final SqlNodeList bloomFilters;

  public SqlCreatePlaneDataset(
      SqlParserPos pos,
      SqlIdentifier name,
      SqlIdentifier plane,
      String table,
      SqlNodeList partitions,
      SqlNodeList sortedBy,
      SqlNodeList bloomFilters) {
    super(OPERATOR, pos, false, false);
    this.name = name;
    this.plane = plane;
    this.table = table;
    this.partitions = partitions;
    this.sortedBy = sortedBy;
    this.bloomFilters = bloomFilters;
  }

  /** The dataset name. */
  public String getSimpleName() {
    return name.getSimple();
  }

  /** The data plane's name. */
  public String getPlaneName() {
    return plane.getSimple();
  }

  /** The TABLE string as written, e.g. {@code sales."Orders 2024"}. */
  public String getTable() {
    return table;
  }

  /** The clauses of an embedded dataset given, by keyword, in the order above (none apply). */
  public List<String> getEmbeddedClauses() {
    List<String> out = new ArrayList<>();
    if (!partitions.isEmpty()) {
      out.add("PARTITIONED_BY");
    }
    if (!sortedBy.isEmpty()) {
      out.add("SORTED_BY");
    }
    if (!bloomFilters.isEmpty()) {
      out.add("BLOOM_FILTER");
    }
    return out;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(name, plane, partitions, sortedBy, bloomFilters);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE DATASET");
    name.unparse(writer, 0, 0);
    writer.keyword("IN DATA PLANE");
    plane.unparse(writer, 0, 0);
    writer.keyword("TABLE");
    Unparsing.string(writer, table);
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
