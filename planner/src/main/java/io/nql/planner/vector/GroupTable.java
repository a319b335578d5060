package io.nql.planner.vector;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The groups of a hash aggregation: each distinct tuple of key values gets a dense id, in order of
 * first appearance. Keys are equal exactly when the row engine's key objects are {@code equals}:
 * integers, dates, times and timestamps (milliseconds) by value, REAL and DOUBLE as {@code
 * Float}/{@code Double.equals} (NaN equals NaN, 0.0 differs from -0.0), DECIMAL by unscaled value
 * at the column's scale, strings and binaries by their bytes, NULL equal to NULL.
 */
final class GroupTable {
  private final Key[] keys;
  private int[] slots = new int[1024]; // group id + 1; 0 is empty
  private int[] hashes = new int[256];
  private int groups;

  GroupTable(List<RelDataType> keyTypes) {
    keys = new Key[keyTypes.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new Key(keyTypes.get(i));
    }
  }

  int size() {
    return groups;
  }

  /**
   * The group of each row {@code start .. start + n - 1} of the key columns' values, into {@code
   * out[0 .. n - 1]}; a new key tuple gets the next id.
   */
  void assign(Values[] values, int start, int n, int[] out) {
    if (keys.length == 0) {
      if (groups == 0) {
        groups = 1;
      }
      Arrays.fill(out, 0, n, 0);
      return;
    }
    int mask = slots.length - 1;
    for (int r = 0; r < n; r++) {
      int row = start + r;
      int h = 1;
      for (int k = 0; k < keys.length; k++) {
        h = 31 * h + keys[k].hash(values[k], row);
      }
      h ^= h >>> 16;
      h *= 0x85EBCA6B;
      h ^= h >>> 13;
      int slot = h & mask;
      int g;
      while (true) {
        g = slots[slot] - 1;
        if (g < 0) {
          g = add(values, row, h);
          slots[slot] = g + 1;
          if (groups * 2 > slots.length) {
            grow();
            mask = slots.length - 1;
          }
          break;
        }
        if (hashes[g] == h && equal(g, values, row)) {
          break;
        }
        slot = (slot + 1) & mask;
      }
      out[r] = g;
    }
  }

  private boolean equal(int g, Values[] values, int row) {
    for (int k = 0; k < keys.length; k++) {
      if (!keys[k].equal(g, values[k], row)) {
        return false;
      }
    }
    return true;
  }

  private int add(Values[] values, int row, int hash) {
    int g = groups++;
    if (g == hashes.length) {
      hashes = Arrays.copyOf(hashes, g * 2);
    }
    hashes[g] = hash;
    for (int k = 0; k < keys.length; k++) {
      keys[k].add(g, values[k], row);
    }
    return g;
  }

  private void grow() {
    int[] bigger = new int[slots.length * 2];
    int mask = bigger.length - 1;
    for (int g = 0; g < groups; g++) {
      int slot = hashes[g] & mask;
      while (bigger[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      bigger[slot] = g + 1;
    }
    slots = bigger;
  }

  /** Key {@code k} of group {@code g}, as the row engine holds it (see {@link Internal}). */
  Object key(int k, int g) {
    return keys[k].value(g);
  }

  int keyCount() {
    return keys.length;
  }

  /** How one key column's values are held and compared. */
  private enum Kind {
    /** Exact integers, DATE, TIME, timestamps, BOOLEAN: the long value. */
    LONG,
    /** REAL and DOUBLE: {@code Double.doubleToLongBits}. */
    DOUBLE,
    /** DECIMAL of at most 18 digits: the unscaled value. */
    UNSCALED,
    /** Wider DECIMAL: the BigDecimal. */
    DECIMAL,
    /** Strings and binaries: the bytes. */
    BYTES
  }

  private static final class Key {
    private final RelDataType type;
    private final Kind kind;
    private long[] codes = new long[256];
    private Object[] objects;
    private boolean[] nulls = new boolean[256];

    Key(RelDataType type) {
      this.type = type;
      SqlTypeName t = type.getSqlTypeName();
      if (VectorTypes.isLongLike(t)) {
        kind = Kind.LONG;
      } else if (VectorTypes.isApprox(t)) {
        kind = Kind.DOUBLE;
      } else if (t == SqlTypeName.DECIMAL) {
        kind = type.getPrecision() <= 18 ? Kind.UNSCALED : Kind.DECIMAL;
      } else if (VectorTypes.isString(t) || t == SqlTypeName.BINARY || t == SqlTypeName.VARBINARY) {
        kind = Kind.BYTES;
      } else {
        throw new UnsupportedOperationException("group key of type " + type);
      }
      if (kind == Kind.DECIMAL || kind == Kind.BYTES) {
        objects = new Object[256];
      }
    }

    private long code(Values v, int row) {
      return switch (kind) {
        case LONG -> v.getLong(row);
        case DOUBLE -> Double.doubleToLongBits(v.getDouble(row));
        case UNSCALED -> v.getUnscaled(row);
        default -> throw new IllegalStateException();
      };
    }

    int hash(Values v, int row) {
      if (v.isNull(row)) {
        return 0x5bd1e995;
      }
      return switch (kind) {
        case BYTES -> v.bytesHash(row);
        case DECIMAL -> v.getDecimal(row).hashCode();
        default -> Long.hashCode(code(v, row));
      };
    }

    boolean equal(int g, Values v, int row) {
      boolean isNull = v.isNull(row);
      if (isNull || nulls[g]) {
        return isNull && nulls[g];
      }
      return switch (kind) {
        case BYTES -> v.bytesEqual(row, (byte[]) objects[g]);
        case DECIMAL -> v.getDecimal(row).equals(objects[g]);
        default -> codes[g] == code(v, row);
      };
    }

    void add(int g, Values v, int row) {
      if (g == nulls.length) {
        nulls = Arrays.copyOf(nulls, g * 2);
        codes = Arrays.copyOf(codes, g * 2);
        if (objects != null) {
          objects = Arrays.copyOf(objects, g * 2);
        }
      }
      if (v.isNull(row)) {
        nulls[g] = true;
        return;
      }
      switch (kind) {
        case BYTES -> objects[g] = v.getBytes(row);
        case DECIMAL -> objects[g] = v.getDecimal(row);
        default -> codes[g] = code(v, row);
      }
    }

    Object value(int g) {
      if (nulls[g]) {
        return null;
      }
      return switch (kind) {
        case LONG -> Internal.ofLong(type, codes[g]);
        case DOUBLE -> Internal.ofDouble(type, Double.longBitsToDouble(codes[g]));
        case UNSCALED -> BigDecimal.valueOf(codes[g], type.getScale());
        case DECIMAL -> objects[g];
        case BYTES ->
            VectorTypes.isString(type.getSqlTypeName())
                ? new String((byte[]) objects[g], StandardCharsets.UTF_8)
                : new ByteString((byte[]) objects[g]);
      };
    }
  }

  /**
   * Values in the row engine's internal Java representation of a SQL type (what its generated code
   * holds in a row): TINYINT Byte, SMALLINT Short, INTEGER, DATE and TIME Integer, BIGINT and both
   * TIMESTAMP types Long (milliseconds), BOOLEAN Boolean, REAL Float, DOUBLE Double.
   */
  static final class Internal {
    private Internal() {}

    static Object ofLong(RelDataType type, long v) {
      return switch (type.getSqlTypeName()) {
        case TINYINT -> (byte) v;
        case SMALLINT -> (short) v;
        case INTEGER, DATE, TIME -> (int) v;
        case BOOLEAN -> v != 0;
        default -> v;
      };
    }

    static Object ofDouble(RelDataType type, double v) {
      return type.getSqlTypeName() == SqlTypeName.REAL ? (Object) (float) v : (Object) v;
    }
  }
}
