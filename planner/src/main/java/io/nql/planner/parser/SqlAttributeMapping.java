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

/** One {@code ATTRIBUTE <attr>[.<prop>] AS <expr>} of {@code CREATE MAPPING}. */
public class SqlAttributeMapping extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("ATTRIBUTE MAPPING", SqlKind.OTHER);

  private final SqlIdentifier attribute;
  private final SqlIdentifier property;
  private final SqlNode expression;

  public SqlAttributeMapping(
      SqlParserPos pos, SqlIdentifier attribute, SqlIdentifier property, SqlNode expression) {
    super(pos);
    this.attribute = attribute;
    this.property = property;
    this.expression = expression;
  }

  /** The Rosetta Stone attribute, e.g. {@code unique_id}. */
  public SqlIdentifier getAttribute() {
    return attribute;
  }

  /** The attribute name as a string. */
  public String getAttributeName() {
    return attribute.getSimple();
  }

  /** The property of an object attribute, e.g. {@code value}; null for a whole attribute. */
  public SqlIdentifier getProperty() {
    return property;
  }

  /** The property name as a string, or null. */
  public String getPropertyName() {
    return property == null ? null : property.getSimple();
  }

  /** The transformation expression over the dataset's columns. */
  public SqlNode getExpression() {
    return expression;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(attribute, property, expression);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ATTRIBUTE");
    unparseName(writer, attribute, property);
    writer.keyword("AS");
    expression.unparse(writer, 0, 0);
  }

  /** Writes {@code attr} or {@code attr.prop}. */
  static void unparseName(SqlWriter writer, SqlIdentifier attribute, SqlIdentifier property) {
    if (property == null) {
      attribute.unparse(writer, 0, 0);
    } else {
      new SqlIdentifier(
              List.of(attribute.getSimple(), property.getSimple()), attribute.getParserPosition())
          .unparse(writer, 0, 0);
    }
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
