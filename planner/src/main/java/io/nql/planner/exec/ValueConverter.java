package io.nql.planner.exec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Converts Calcite internal values to the external Java types of results: DATE → {@link LocalDate},
 * TIME → {@link LocalTime}, TIMESTAMP → {@link LocalDateTime}, TIMESTAMP WITH LOCAL TIME ZONE →
 * {@link OffsetDateTime} in UTC (both at the millisecond precision of Calcite's runtime), DECIMAL →
 * {@link BigDecimal} at the column's scale, integers → Byte/Short/Integer/Long, REAL → Float,
 * DOUBLE/FLOAT → Double, CHAR/VARCHAR → String, BINARY/VARBINARY → {@code byte[]}, ARRAY → a JSON
 * array and ROW → a JSON object (String, typed VARCHAR for clients).
 */
final class ValueConverter {
  private ValueConverter() {}

  private static LocalDateTime utcWallClock(long millis) {
    return LocalDateTime.ofEpochSecond(
        Math.floorDiv(millis, 1000L),
        (int) Math.floorMod(millis, 1000L) * 1_000_000,
        ZoneOffset.UTC);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** A row value (Calcite's {@code Object[]} or list of fields) as a JSON object, by field name. */
  private static String json(Object value, RelDataType type) {
    List<?> fields =
        value instanceof Object[] array ? java.util.Arrays.asList(array) : (List<?>) value;
    com.fasterxml.jackson.databind.node.ObjectNode o = JSON.createObjectNode();
    List<org.apache.calcite.rel.type.RelDataTypeField> types = type.getFieldList();
    for (int i = 0; i < types.size() && i < fields.size(); i++) {
      Object v = toExternal(fields.get(i), types.get(i).getType());
      String name = types.get(i).getName();
      if (v == null) {
        o.putNull(name);
      } else if (v instanceof Number || v instanceof Boolean) {
        o.set(name, JSON.valueToTree(v));
      } else {
        o.put(name, v.toString());
      }
    }
    return o.toString();
  }

  /** An array value as a JSON array. */
  private static String jsonArray(List<?> values, RelDataType element) {
    com.fasterxml.jackson.databind.node.ArrayNode a = JSON.createArrayNode();
    for (Object o : values) {
      Object v = element == null ? o : toExternal(o, element);
      if (v == null) {
        a.addNull();
      } else if (v instanceof Number || v instanceof Boolean) {
        a.add(JSON.valueToTree(v));
      } else if (v instanceof String text
          && (text.startsWith("{") || text.startsWith("["))
          && element != null
          && (element.getSqlTypeName() == SqlTypeName.ROW
              || element.getSqlTypeName() == SqlTypeName.ARRAY)) {
        try {
          a.add(JSON.readTree(text));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          a.add(text);
        }
      } else {
        a.add(v.toString());
      }
    }
    return a.toString();
  }

  static Object toExternal(Object value, RelDataType type) {
    if (value == null) {
      return null;
    }
    switch (type.getSqlTypeName()) {
      case DATE:
        return LocalDate.ofEpochDay(((Number) value).longValue());
      case TIME:
      case TIME_WITH_LOCAL_TIME_ZONE:
        return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L);
      case TIMESTAMP:
        return utcWallClock(((Number) value).longValue());
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        return utcWallClock(((Number) value).longValue()).atOffset(ZoneOffset.UTC);
      case DECIMAL:
        {
          BigDecimal d = value instanceof BigDecimal bd ? bd : new BigDecimal(value.toString());
          int scale = type.getScale();
          if (scale >= 0 && d.scale() < scale) {
            d = d.setScale(scale, RoundingMode.UNNECESSARY);
          }
          return d;
        }
      case TINYINT:
        return ((Number) value).byteValue();
      case SMALLINT:
        return ((Number) value).shortValue();
      case INTEGER:
        return ((Number) value).intValue();
      case BIGINT:
        return ((Number) value).longValue();
      case REAL:
        return ((Number) value).floatValue();
      case FLOAT:
      case DOUBLE:
        return ((Number) value).doubleValue();
      case CHAR:
      case VARCHAR:
        return value.toString();
      case BINARY:
      case VARBINARY:
        return value instanceof ByteString bs ? bs.getBytes() : value;
      case ROW:
        return json(value, type);
      case ARRAY:
        return jsonArray((List<?>) value, type.getComponentType());
      default:
        return value;
    }
  }
}
