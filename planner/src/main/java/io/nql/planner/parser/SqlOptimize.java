package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code OPTIMIZE company_data.<ds> [name = value, …]}: compacts the dataset's small data files
 * (see {@code io.nql.planner.maintenance.Compaction}). The options are pairs of a name and a
 * literal, as written; their meaning is checked where the statement runs.
 */
public class SqlOptimize extends SqlCall {
  public static final SqlOperator OPERATOR = new SqlSpecialOperator("OPTIMIZE", SqlKind.OTHER);

  private final SqlIdentifier dataset;
  private final SqlNodeList options;

  /**
   * @param options alternately an option's name ({@link SqlIdentifier}) and its value (a literal)
   */
  public SqlOptimize(SqlParserPos pos, SqlIdentifier dataset, SqlNodeList options) {
    super(pos);
    this.dataset = dataset;
    this.options = options;
  }

  /** The dataset, as written. */
  public SqlIdentifier dataset() {
    return dataset;
  }

  /** Alternately an option's name ({@link SqlIdentifier}) and its value (a literal). */
  public SqlNodeList options() {
    return options;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(dataset, options);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("OPTIMIZE");
    dataset.unparse(writer, 0, 0);
    for (int i = 0; i + 1 < options.size(); i += 2) {
      if (i > 0) {
        writer.print(",");
      }
      options.get(i).unparse(writer, 0, 0);
      writer.keyword("=");
      options.get(i + 1).unparse(writer, 0, 0);
    }
  }

  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
