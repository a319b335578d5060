package io.nql.planner.rosetta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nql.planner.store.Mappings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The Rosetta Stone's attributes: the built-in core set, shipped as data ({@code
 * core-attributes.json}), then the attributes admins added, by name.
 */
public final class AttributeCatalog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Attribute> CORE = loadCore();

  private final Map<String, Attribute> byName;

  private AttributeCatalog(List<Attribute> attributes) {
    Map<String, Attribute> m = new LinkedHashMap<>();
    for (Attribute a : attributes) {
      m.putIfAbsent(a.name(), a);
    }
    this.byName = m;
  }

  /** The built-in attributes only. */
  public static AttributeCatalog core() {
    return new AttributeCatalog(CORE);
  }

  /** The built-in attributes and those stored (a stored definition never replaces a built-in). */
  public static AttributeCatalog of(List<Mappings.StoredAttribute> stored) {
    List<Attribute> all = new ArrayList<>(CORE);
    for (Mappings.StoredAttribute s : stored) {
      try {
        all.add(parse(JSON.readTree(s.definition()), false));
      } catch (IOException | IllegalArgumentException e) {
        // A definition this version cannot read is left out rather than failing every query.
        org.slf4j.LoggerFactory.getLogger(AttributeCatalog.class)
            .warn("Ignoring stored attribute {}: {}", s.name(), e.getMessage());
      }
    }
    return new AttributeCatalog(all);
  }

  /** Every attribute: built-in ones first, in their shipped order, then added ones by name. */
  public List<Attribute> all() {
    return List.copyOf(byName.values());
  }

  /** The attribute with this name. */
  public Optional<Attribute> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Whether a built-in attribute has this name. */
  public static boolean isBuiltIn(String name) {
    return CORE.stream().anyMatch(a -> a.name().equals(name));
  }

  private static List<Attribute> loadCore() {
    try (InputStream in = AttributeCatalog.class.getResourceAsStream("core-attributes.json")) {
      if (in == null) {
        throw new IllegalStateException("core-attributes.json is missing from the classpath");
      }
      List<Attribute> out = new ArrayList<>();
      for (JsonNode a : JSON.readTree(in).path("attributes")) {
        out.add(parse(a, true));
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An attribute from its JSON definition: {@code name}, {@code type}, optional {@code
   * description}, {@code enum}, {@code pattern}, {@code minimum}, {@code maximum}, {@code items}
   * (arrays) and {@code properties} (objects: {@code name}, {@code type}, {@code required}, and the
   * same optional checks).
   *
   * @throws IllegalArgumentException saying what is wrong with the definition
   */
  public static Attribute parse(JsonNode a, boolean builtIn) {
    String name = text(a, "name");
    if (name == null || !Attribute.NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "an attribute name has 1 to 128 lowercase letters, digits and underscores and starts"
              + " with a letter");
    }
    AttributeType type = AttributeType.of(required(a, "type"));
    List<Attribute.Property> properties = new ArrayList<>();
    AttributeType items = null;
    if (type == AttributeType.OBJECT) {
      for (JsonNode p : a.path("properties")) {
        String pn = text(p, "name");
        if (pn == null || !Attribute.NAME.matcher(pn).matches()) {
          throw new IllegalArgumentException("property names are like attribute names");
        }
        if (properties.stream().anyMatch(q -> q.name().equals(pn))) {
          throw new IllegalArgumentException("property " + pn + " appears twice");
        }
        AttributeType pt = AttributeType.of(required(p, "type"));
        if (pt == AttributeType.OBJECT || pt == AttributeType.ARRAY) {
          throw new IllegalArgumentException("property " + pn + " must have a scalar type");
        }
        properties.add(
            new Attribute.Property(
                pn, pt, p.path("required").asBoolean(false), text(p, "description"), checks(p)));
      }
      if (properties.isEmpty()) {
        throw new IllegalArgumentException("an object attribute needs at least one property");
      }
    } else if (type == AttributeType.ARRAY) {
      items = AttributeType.of(a.path("items").asText("string"));
      if (items == AttributeType.OBJECT || items == AttributeType.ARRAY) {
        throw new IllegalArgumentException("array items must have a scalar type");
      }
    }
    return new Attribute(
        name,
        type,
        text(a, "description"),
        properties,
        items,
        type == AttributeType.OBJECT ? Attribute.Checks.NONE : checks(a),
        builtIn);
  }

  /** The JSON definition of an attribute, as {@link #parse} reads it back. */
  public static String definition(Attribute a) {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", a.name());
    o.put("type", a.type().lowerName());
    if (a.description() != null) {
      o.put("description", a.description());
    }
    if (a.items() != null) {
      o.put("items", a.items().lowerName());
    }
    putChecks(o, a.checks());
    if (!a.properties().isEmpty()) {
      ArrayNode props = o.putArray("properties");
      for (Attribute.Property p : a.properties()) {
        ObjectNode po = props.addObject();
        po.put("name", p.name());
        po.put("type", p.type().lowerName());
        po.put("required", p.required());
        if (p.description() != null) {
          po.put("description", p.description());
        }
        putChecks(po, p.checks());
      }
    }
    return o.toString();
  }

  private static void putChecks(ObjectNode o, Attribute.Checks c) {
    if (!c.enumValues().isEmpty()) {
      ArrayNode e = o.putArray("enum");
      c.enumValues().forEach(e::add);
    }
    if (c.pattern() != null) {
      o.put("pattern", c.pattern().pattern());
    }
    if (c.minimum() != null) {
      o.put("minimum", c.minimum());
    }
    if (c.maximum() != null) {
      o.put("maximum", c.maximum());
    }
  }

  private static Attribute.Checks checks(JsonNode n) {
    List<String> values = new ArrayList<>();
    for (JsonNode v : n.path("enum")) {
      values.add(v.asText());
    }
    Pattern pattern = null;
    String p = text(n, "pattern");
    if (p != null) {
      try {
        pattern = Pattern.compile(p);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "pattern is not a regular expression: " + e.getDescription());
      }
    }
    return new Attribute.Checks(values, pattern, number(n, "minimum"), number(n, "maximum"));
  }

  private static BigDecimal number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.decimalValue();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String required(JsonNode n, String field) {
    String v = text(n, field);
    if (v == null) {
      throw new IllegalArgumentException("'" + field + "' is missing");
    }
    return v;
  }
}
