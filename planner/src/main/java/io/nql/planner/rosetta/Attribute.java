package io.nql.planner.rosetta;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;

/**
 * A Rosetta Stone attribute: a canonical concept with a type and the checks its values must pass.
 *
 * @param name lowercase letters, digits and underscores, starting with a letter
 * @param type its type
 * @param description what it means, or null
 * @param properties the properties of an object attribute, in order (empty otherwise)
 * @param items the element type of an array attribute (a scalar type), or null
 * @param checks the checks of a scalar attribute's values (of an array's elements)
 * @param builtIn whether it ships with the gateway (admins cannot drop it)
 */
public record Attribute(
    String name,
    AttributeType type,
    String description,
    List<Property> properties,
    AttributeType items,
    Checks checks,
    boolean builtIn) {

  /** Names of attributes and properties. */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,127}");

  public Attribute {
    properties = List.copyOf(properties);
  }

  /**
   * A property of an object attribute.
   *
   * @param required whether a mapping must give it
   */
  public record Property(
      String name, AttributeType type, boolean required, String description, Checks checks) {}

  /**
   * What values of a scalar type must satisfy, each optional.
   *
   * @param enumValues the allowed values (empty: any)
   * @param pattern a regular expression the whole value must match, or null
   * @param minimum the least allowed number, or null
   * @param maximum the greatest allowed number, or null
   */
  public record Checks(
      List<String> enumValues, Pattern pattern, BigDecimal minimum, BigDecimal maximum) {
    public static final Checks NONE = new Checks(List.of(), null, null, null);

    public Checks {
      enumValues = List.copyOf(enumValues);
    }

    /** Why a value fails these checks, or empty when it passes (null always passes). */
    public Optional<String> violation(Object value) {
      if (value == null) {
        return Optional.empty();
      }
      String text = value.toString();
      if (!enumValues.isEmpty() && !enumValues.contains(text)) {
        return Optional.of("not one of " + String.join(", ", enumValues));
      }
      if (pattern != null && !pattern.matcher(text).matches()) {
        return Optional.of("does not match " + pattern.pattern());
      }
      if ((minimum != null || maximum != null) && value instanceof Number n) {
        BigDecimal d = new BigDecimal(n.toString());
        if (minimum != null && d.compareTo(minimum) < 0) {
          return Optional.of("less than " + minimum.toPlainString());
        }
        if (maximum != null && d.compareTo(maximum) > 0) {
          return Optional.of("greater than " + maximum.toPlainString());
        }
      }
      return Optional.empty();
    }

    /** The checks as one line for SHOW ATTRIBUTES, or null when there are none. */
    public String describe() {
      List<String> parts = new ArrayList<>();
      if (!enumValues.isEmpty()) {
        parts.add("one of (" + String.join(", ", enumValues) + ")");
      }
      if (pattern != null) {
        parts.add("matches " + pattern.pattern());
      }
      if (minimum != null) {
        parts.add("≥ " + minimum.toPlainString());
      }
      if (maximum != null) {
        parts.add("≤ " + maximum.toPlainString());
      }
      return parts.isEmpty() ? null : String.join("; ", parts);
    }
  }

  /** The property of this object attribute with that name. */
  public Optional<Property> property(String name) {
    return properties.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /**
   * The attribute's column type in {@code rosetta_stone}: nullable; an object is a row of its
   * properties, an array an array of its items.
   */
  public RelDataType sqlType(RelDataTypeFactory f) {
    return switch (type) {
      case OBJECT -> {
        RelDataTypeFactory.Builder b = f.builder();
        for (Property p : properties) {
          b.add(p.name(), p.type().scalarSqlType(f));
        }
        yield f.createTypeWithNullability(b.build(), true);
      }
      case ARRAY ->
          f.createTypeWithNullability(f.createArrayType(items.scalarSqlType(f), -1), true);
      default -> type.scalarSqlType(f);
    };
  }

  /**
   * The type as SHOW ATTRIBUTES writes it: {@code string}, {@code array<string>}, {@code object}.
   */
  public String typeText() {
    return type == AttributeType.ARRAY ? "array<" + items.lowerName() + ">" : type.lowerName();
  }
}
