package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.parser.SqlCreateAttribute;
import io.nql.planner.parser.SqlDropAttribute;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.rosetta.Attribute;
import io.nql.planner.rosetta.AttributeCatalog;
import io.nql.planner.rosetta.AttributeType;
import java.util.ArrayList;
import java.util.List;

/** Runs SHOW ATTRIBUTES, and CREATE ATTRIBUTE and DROP ATTRIBUTE (admin users only). */
final class AttributeStatements {
  private final NqlEngine engine;

  AttributeStatements(NqlEngine engine) {
    this.engine = engine;
  }

  /** The catalog as the store has it now: the built-in attributes and those admins added. */
  static AttributeCatalog catalog(NqlEngine engine) {
    return AttributeCatalog.of(engine.store().mappings().attributes());
  }

  static final List<ResultColumn> ATTRIBUTE_COLUMNS =
      List.of(
          ResultColumn.varchar("name"),
          ResultColumn.varchar("type"),
          ResultColumn.varchar("properties"),
          ResultColumn.varchar("checks"),
          ResultColumn.bool("built_in"),
          ResultColumn.varchar("description"));

  StatementResult showAttributes(String statementId) {
    List<Object[]> rows = new ArrayList<>();
    for (Attribute a : catalog(engine).all()) {
      String props = null;
      if (!a.properties().isEmpty()) {
        List<String> ps = new ArrayList<>();
        for (Attribute.Property p : a.properties()) {
          String checks = p.checks().describe();
          ps.add(
              p.name()
                  + " "
                  + p.type().lowerName()
                  + (p.required() ? " required" : "")
                  + (checks == null ? "" : " (" + checks + ")"));
        }
        props = String.join(", ", ps);
      }
      rows.add(
          new Object[] {
            a.name(), a.typeText(), props, a.checks().describe(), a.builtIn(), a.description()
          });
    }
    return StatementResults.rows(statementId, ATTRIBUTE_COLUMNS, rows);
  }

  StatementResult createAttribute(String statementId, SqlCreateAttribute node, boolean admin) {
    String name = node.getSimpleName();
    requireAdmin("CREATE ATTRIBUTE", admin);
    if (AttributeCatalog.isBuiltIn(name)) {
      throw new NqlException(
          ErrorCode.DUPLICATE_OBJECT, "Cannot create attribute " + name + ": it is built in");
    }
    com.fasterxml.jackson.databind.node.ObjectNode o =
        new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    o.put("name", name);
    o.put("type", node.getType());
    if (node.getItems() != null) {
      o.put("items", node.getItems());
    }
    if (node.getDescription() != null) {
      o.put("description", node.getDescription());
    }
    if (!node.getEnumValues().isEmpty()) {
      node.getEnumValues().forEach(o.putArray("enum")::add);
    }
    if (node.getPattern() != null) {
      o.put("pattern", node.getPattern());
    }
    if (node.getMinimum() != null) {
      o.put("minimum", node.getMinimum());
    }
    if (node.getMaximum() != null) {
      o.put("maximum", node.getMaximum());
    }
    if (!node.getProperties().isEmpty()) {
      com.fasterxml.jackson.databind.node.ArrayNode props = o.putArray("properties");
      for (SqlCreateAttribute.Property p : node.getProperties()) {
        props.addObject().put("name", p.name()).put("type", p.type()).put("required", p.required());
      }
    }
    Attribute a;
    try {
      a = AttributeCatalog.parse(o, false);
    } catch (IllegalArgumentException e) {
      throw new NqlException(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot create attribute " + name + ": " + e.getMessage());
    }
    boolean scalar = a.type() != AttributeType.OBJECT && a.type() != AttributeType.ARRAY;
    if (node.getItems() != null && a.type() != AttributeType.ARRAY) {
      throw new NqlException(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot create attribute " + name + ": ITEMS is for array attributes");
    }
    if (!node.getProperties().isEmpty() && a.type() != AttributeType.OBJECT) {
      throw new NqlException(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot create attribute " + name + ": PROPERTIES is for object attributes");
    }
    if (!scalar && a.type() == AttributeType.OBJECT && a.checks().describe() != null) {
      throw new NqlException(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot create attribute "
              + name
              + ": ENUM, PATTERN, MINIMUM and MAXIMUM apply to scalar and array attributes");
    }
    if ((node.getMinimum() != null || node.getMaximum() != null)
        && a.type() != AttributeType.LONG
        && a.type() != AttributeType.DOUBLE) {
      throw new NqlException(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot create attribute " + name + ": MINIMUM and MAXIMUM apply to long and double");
    }
    engine.store().mappings().createAttribute(name, AttributeCatalog.definition(a));
    return StatementResults.count(statementId, 0);
  }

  StatementResult dropAttribute(String statementId, SqlDropAttribute node, boolean admin) {
    requireAdmin("DROP ATTRIBUTE", admin);
    if (AttributeCatalog.isBuiltIn(node.getSimpleName())) {
      throw new NqlException(
          ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "Cannot drop attribute " + node.getSimpleName() + ": it is built in");
    }
    engine.store().mappings().dropAttribute(node.getSimpleName());
    return StatementResults.count(statementId, 0);
  }

  private static void requireAdmin(String statement, boolean admin) {
    if (!admin) {
      throw new NqlException(
          ErrorCode.INSUFFICIENT_PRIVILEGE,
          "Cannot run " + statement + ": only an admin user may do this");
    }
  }
}
