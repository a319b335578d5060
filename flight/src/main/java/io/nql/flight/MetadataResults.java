package io.nql.flight;

import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.VisibleTable;
import io.nql.planner.meta.SessionCatalog;
import io.nql.planner.meta.TypeInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.sql.FlightSqlProducer.Schemas;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetDbSchemas;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetTables;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.Text;

/**
 * The results of the Flight SQL metadata commands, built from what the caller's session may see
 * ({@link SessionCatalog}, shared with the JDBC endpoint) and typed by the Flight SQL schemas. NQL
 * has no keys, so the key commands answer with their schema and no rows.
 */
final class MetadataResults {
  private MetadataResults() {}

  static List<Map<String, Object>> catalogs() {
    return List.of(Map.of("catalog_name", SessionCatalog.CATALOG));
  }

  static List<Map<String, Object>> schemas(NqlSession session, CommandGetDbSchemas cmd) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String s :
        SessionCatalog.schemas(
            session,
            cmd.hasCatalog() ? cmd.getCatalog() : null,
            cmd.hasDbSchemaFilterPattern() ? cmd.getDbSchemaFilterPattern() : null)) {
      rows.add(Map.of("catalog_name", SessionCatalog.CATALOG, "db_schema_name", s));
    }
    return rows;
  }

  static Schema tablesSchema(CommandGetTables cmd) {
    return cmd.getIncludeSchema() ? Schemas.GET_TABLES_SCHEMA : Schemas.GET_TABLES_SCHEMA_NO_SCHEMA;
  }

  static List<Map<String, Object>> tables(NqlSession session, CommandGetTables cmd) {
    List<Map<String, Object>> rows = new ArrayList<>();
    List<String> types = cmd.getTableTypesCount() == 0 ? null : cmd.getTableTypesList();
    for (VisibleTable t :
        SessionCatalog.tables(
            session,
            cmd.hasCatalog() ? cmd.getCatalog() : null,
            cmd.hasDbSchemaFilterPattern() ? cmd.getDbSchemaFilterPattern() : null,
            cmd.hasTableNameFilterPattern() ? cmd.getTableNameFilterPattern() : null,
            types)) {
      Map<String, Object> row = new HashMap<>();
      row.put("catalog_name", SessionCatalog.CATALOG);
      row.put("db_schema_name", t.schema());
      row.put("table_name", t.name());
      row.put("table_type", t.type());
      if (cmd.getIncludeSchema()) {
        row.put("table_schema", ArrowSchemas.of(t.columns()).serializeAsMessage());
      }
      rows.add(row);
    }
    return rows;
  }

  static List<Map<String, Object>> tableTypes() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String t : SessionCatalog.TABLE_TYPES) {
      rows.add(Map.of("table_type", t));
    }
    return rows;
  }

  /**
   * XDBC type info, optionally of one JDBC type code only: the rows of JDBC's {@code getTypeInfo},
   * from the same {@link TypeInfo}. Flight SQL requires {@code sql_data_type}, which JDBC leaves
   * unused: it is the type code again.
   */
  static List<Map<String, Object>> typeInfo(Integer dataType) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (TypeInfo.SqlType t : TypeInfo.types()) {
      if (dataType != null && t.jdbcType() != dataType) {
        continue;
      }
      Map<String, Object> row = new HashMap<>();
      row.put("type_name", t.name());
      row.put("data_type", t.jdbcType());
      row.put("column_size", t.precision());
      row.put("literal_prefix", t.prefix());
      row.put("literal_suffix", t.suffix());
      row.put("create_params", t.params() == null ? null : List.of(t.params().split(",")));
      row.put("nullable", t.nullable());
      row.put("case_sensitive", t.caseSensitive());
      row.put("searchable", t.searchable());
      row.put("unsigned_attribute", t.unsigned());
      row.put("fixed_prec_scale", t.fixedPrecScale());
      row.put("auto_increment", t.autoIncrement());
      row.put("local_type_name", t.localTypeName());
      row.put("minimum_scale", t.minScale());
      row.put("maximum_scale", t.maxScale());
      row.put("sql_data_type", t.jdbcType());
      row.put("num_prec_radix", t.radix());
      rows.add(row);
    }
    return rows;
  }

  /** Sends rows (values by field name; absent means NULL) as one batch of the schema. */
  static void send(
      Schema schema,
      List<Map<String, Object>> rows,
      BufferAllocator allocator,
      ServerStreamListener listener) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.allocateNew();
      for (int i = 0; i < rows.size(); i++) {
        for (FieldVector v : root.getFieldVectors()) {
          set(v, i, rows.get(i).get(v.getName()));
        }
      }
      root.setRowCount(rows.size());
      listener.start(root);
      listener.putNext();
      listener.completed();
    }
  }

  private static void set(FieldVector v, int i, Object value) {
    if (value == null) {
      if (v instanceof ListVector list) {
        list.setNull(i);
      } else {
        v.setNull(i);
      }
      return;
    }
    if (v instanceof VarCharVector s) {
      s.setSafe(i, value.toString().getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof IntVector n) {
      n.setSafe(i, ((Number) value).intValue());
    } else if (v instanceof BitVector b) {
      b.setSafe(i, ((Boolean) value) ? 1 : 0);
    } else if (v instanceof VarBinaryVector b) {
      b.setSafe(i, (byte[]) value);
    } else if (v instanceof ListVector list) {
      UnionListWriter w = list.getWriter();
      w.setPosition(i);
      w.startList();
      for (Object o : (List<?>) value) {
        w.writeVarChar(new Text(o.toString()));
      }
      w.endList();
    } else {
      throw new IllegalStateException("Unexpected metadata vector " + v.getField());
    }
  }
}
