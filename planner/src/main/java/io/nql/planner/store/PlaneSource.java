package io.nql.planner.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Where the rows of a dataset in a data plane rest: a table of the plane, and its columns as read
 * from the source when the dataset was created (the dataset's columns are these, in this order,
 * under the source's own names).
 *
 * @param plane the plane's name, of the dataset's company
 * @param schema the source table's schema (e.g. {@code public}), as the source spells it
 * @param table the source table's name, as the source spells it
 * @param columns the columns, in the source's order
 */
public record PlaneSource(String plane, String schema, String table, List<Column> columns) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public PlaneSource {
    columns = List.copyOf(columns);
  }

  /**
   * One column.
   *
   * @param name its name in the source, which is also the dataset column's name
   * @param sourceType the source's type, e.g. {@code int4}, {@code numeric(12,2)}, {@code uuid}
   * @param type the dataset type (an Iceberg primitive type)
   * @param nullable whether the source allows nulls
   * @param key whether the column is part of the source table's primary key
   */
  public record Column(String name, String sourceType, Type type, boolean nullable, boolean key) {}

  /** The primary key's columns, in column order; never empty for a stored source. */
  public List<Column> key() {
    return columns.stream().filter(Column::key).toList();
  }

  /** The source table as the plane's own SQL names it, e.g. {@code public.orders} (for display). */
  public String qualifiedTable() {
    return schema + "." + table;
  }

  /** The stored form (column {@code datasets.plane_source}). */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", schema);
    root.put("table", table);
    ArrayNode cols = root.putArray("columns");
    for (Column c : columns) {
      ObjectNode n = cols.addObject();
      n.put("name", c.name());
      n.put("source_type", c.sourceType());
      n.put("type", c.type().toString());
      n.put("nullable", c.nullable());
      n.put("key", c.key());
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a plane source", e);
    }
  }

  /**
   * A stored source read back.
   *
   * @throws IllegalStateException when the text is not a stored source
   */
  public static PlaneSource fromJson(String plane, String json) {
    try {
      JsonNode root = JSON.readTree(json);
      List<Column> cols = new ArrayList<>();
      for (JsonNode n : root.withArray("columns")) {
        cols.add(
            new Column(
                n.get("name").asText(),
                n.get("source_type").asText(),
                Types.fromPrimitiveString(n.get("type").asText()),
                n.get("nullable").asBoolean(),
                n.get("key").asBoolean()));
      }
      return new PlaneSource(plane, root.get("schema").asText(), root.get("table").asText(), cols);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalStateException("unreadable plane source of data plane " + plane, e);
    }
  }
}
