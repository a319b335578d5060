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

/** {@code CREATE MAPPING ON company_data.<ds> ATTRIBUTE <attr>[.<prop>] AS <expr>, ...}. */
public class SqlCreateMapping extends SqlCreate {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE MAPPING", SqlKind.OTHER_DDL);

  private final SqlIdentifier dataset;
  private final SqlNodeList mappings;

  /** Creates the statement; {@code mappings} holds {@link SqlAttributeMapping}s. */
  public SqlCreateMapping(SqlParserPos pos, SqlIdentifier dataset, SqlNodeList mappings) {
    super(OPERATOR, pos, false, false);
    this.dataset = dataset;
    this.mappings = mappings;
  }

  /** The dataset as written, e.g. {@code company_data.mobile_events}. */
  public SqlIdentifier getDataset() {
    return dataset;
  }

  /** The attribute mappings, in order. */
  public List<SqlAttributeMapping> getMappings() {
    return mappings.stream().map(SqlAttributeMapping.class::cast).toList();
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(dataset, mappings);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE MAPPING ON");
    dataset.unparse(writer, 0, 0);
    Unparsing.commaList(writer, mappings);
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
