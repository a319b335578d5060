package io.nql.planner.parser;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * {@code CREATE ATTRIBUTE name TYPE = 'type' [ITEMS = 'type'] [PROPERTIES (p 'type' [REQUIRED], …)]
 * [ENUM = ('a', …)] [PATTERN = 'regex'] [MINIMUM = n] [MAXIMUM = n] [DESCRIPTION = '…']}: adds a
 * Rosetta Stone attribute (admins only).
 */
public class SqlCreateAttribute extends SqlCreate {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE ATTRIBUTE", SqlKind.OTHER_DDL);

  /** One property of an object attribute. */
  public record Property(String name, String type, boolean required) {}

  private final SqlIdentifier name;
  private final String type;
  private final String items;
  private final SqlNodeList properties;
  private final SqlNodeList enumValues;
  private final String pattern;
  private final SqlLiteral minimum;
  private final SqlLiteral maximum;
  private final String description;

  public SqlCreateAttribute(
      SqlParserPos pos,
      SqlIdentifier name,
      String type,
      String items,
      SqlNodeList properties,
      SqlNodeList enumValues,
      String pattern,
      SqlLiteral minimum,
      SqlLiteral maximum,
      String description) {
    super(OPERATOR, pos, false, false);
    this.name = name;
    this.type = type;
    this.items = items;
    this.properties = properties;
    this.enumValues = enumValues;
    this.pattern = pattern;
    this.minimum = minimum;
    this.maximum = maximum;
    this.description = description;
  }

  public String getSimpleName() {
    return name.getSimple();
  }

  public String getType() {
    return type;
  }

  /** The element type of an array attribute, or null. */
  public String getItems() {
    return items;
  }

  /** The properties of an object attribute, in order. */
  public List<Property> getProperties() {
    List<Property> out = new ArrayList<>();
    for (SqlNode n : properties) {
      SqlNodeList p = (SqlNodeList) n;
      out.add(
          new Property(
              ((SqlIdentifier) p.get(0)).getSimple(),
              ((SqlLiteral) p.get(1)).getValueAs(String.class),
              ((SqlLiteral) p.get(2)).booleanValue()));
    }
    return out;
  }

  /** The allowed values, empty when any value is allowed. */
  public List<String> getEnumValues() {
    List<String> out = new ArrayList<>();
    if (enumValues != null) {
      for (SqlNode n : enumValues) {
        out.add(((SqlLiteral) n).getValueAs(String.class));
      }
    }
    return out;
  }

  public String getPattern() {
    return pattern;
  }

  public java.math.BigDecimal getMinimum() {
    return minimum == null ? null : minimum.getValueAs(java.math.BigDecimal.class);
  }

  public java.math.BigDecimal getMaximum() {
    return maximum == null ? null : maximum.getValueAs(java.math.BigDecimal.class);
  }

  public String getDescription() {
    return description;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(name, properties, enumValues, minimum, maximum);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE ATTRIBUTE");
    name.unparse(writer, 0, 0);
    Unparsing.stringOption(writer, "TYPE", type);
    Unparsing.stringOption(writer, "ITEMS", items);
    if (properties.size() > 0) {
      writer.keyword("PROPERTIES");
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (Property p : getProperties()) {
        writer.sep(",");
        writer.identifier(p.name(), true);
        Unparsing.string(writer, p.type());
        if (p.required()) {
          writer.keyword("REQUIRED");
        }
      }
      writer.endList(frame);
    }
    if (enumValues != null) {
      writer.keyword("ENUM");
      writer.keyword("=");
      Unparsing.parenthesized(writer, enumValues.getList());
    }
    Unparsing.stringOption(writer, "PATTERN", pattern);
    if (minimum != null) {
      writer.keyword("MINIMUM");
      writer.keyword("=");
      minimum.unparse(writer, 0, 0);
    }
    if (maximum != null) {
      writer.keyword("MAXIMUM");
      writer.keyword("=");
      maximum.unparse(writer, 0, 0);
    }
    Unparsing.stringOption(writer, "DESCRIPTION", description);
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
