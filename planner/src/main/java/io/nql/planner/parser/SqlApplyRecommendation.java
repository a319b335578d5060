package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code APPLY RECOMMENDATION <n>} (the n-th row of {@code SHOW RECOMMENDATIONS}) or {@code APPLY
 * RECOMMENDATIONS FOR company_data.<ds>}: sets the recommended layout and rewrites the dataset.
 */
public class SqlApplyRecommendation extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("APPLY RECOMMENDATION", SqlKind.OTHER);

  private final int number;
  private final @Nullable SqlIdentifier dataset;

  /**
   * @param number the recommendation's number, or 0 when {@code dataset} is given
   * @param dataset the dataset whose recommendations are applied, or null
   */
  public SqlApplyRecommendation(SqlParserPos pos, int number, @Nullable SqlIdentifier dataset) {
    super(pos);
    this.number = number;
    this.dataset = dataset;
  }

  /** The recommendation's number (from 1), or 0 for {@code FOR <dataset>}. */
  public int number() {
    return number;
  }

  /** The dataset as written, or null for a numbered recommendation. */
  public @Nullable SqlIdentifier dataset() {
    return dataset;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(dataset);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    if (dataset == null) {
      writer.keyword("APPLY RECOMMENDATION");
      writer.print(Integer.toString(number));
    } else {
      writer.keyword("APPLY RECOMMENDATIONS FOR");
      dataset.unparse(writer, 0, 0);
    }
  }

  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
