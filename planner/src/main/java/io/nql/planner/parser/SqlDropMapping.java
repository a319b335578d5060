package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlDrop;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/** {@code DROP MAPPING ON company_data.<ds> ATTRIBUTE <attr>[.<prop>]}. */
public class SqlDropMapping extends SqlDrop {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("DROP MAPPING", SqlKind.OTHER_DDL);

  private final SqlIdentifier dataset;
  private final SqlIdentifier attribute;
  private final SqlIdentifier property;

  public SqlDropMapping(
      SqlParserPos pos, SqlIdentifier dataset, SqlIdentifier attribute, SqlIdentifier property) {
    super(OPERATOR, pos, false);
    this.dataset = dataset;
    this.attribute = attribute;
    this.property = property;
  }

  /** The dataset as written. */
  public SqlIdentifier getDataset() {
    return dataset;
  }

  /** The attribute whose mapping is dropped. */
  public SqlIdentifier getAttribute() {
    return attribute;
  }

  /** The attribute name as a string. */
  public String getAttributeName() {
    return attribute.getSimple();
  }

  /** The property of an object attribute, or null. */
  public SqlIdentifier getProperty() {
    return property;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(dataset, attribute, property);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DROP MAPPING ON");
    dataset.unparse(writer, 0, 0);
    writer.keyword("ATTRIBUTE");
    SqlAttributeMapping.unparseName(writer, attribute, property);
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
