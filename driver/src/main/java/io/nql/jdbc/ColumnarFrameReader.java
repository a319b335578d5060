package io.nql.jdbc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;

/**
 * Reads the columnar frames the gateway sends to this driver (see docs/clients/jdbc.md, "Columnar
 * frames"; the gateway's {@code io.nql.planner.meta.ColumnarFrameWriter} writes them): a frame of
 * one row holding one byte string, in which the rows travel a column at a time. Values are read in
 * place from that byte string; nothing is copied per value.
 *
 * <pre>
 * payload := "NQLF" version:u8 columns:i32 result:i64 chunk*   (little-endian; chunks to the end)
 * chunk   := rows:i32 column{columns}
 * column  := kind:u8 nulls:u8 [validity: ceil(rows / 8) bytes, bit set = a value] body
 * </pre>
 *
 * The rows after the first {@code n} of a result are fetched with the offset {@code result + n}:
 * the gateway refuses any other, so that a late fetch of a result given up never takes rows from
 * the next one.
 */
final class ColumnarFrameReader {
  /** The value of the {@code frame_encoding} connection property that asks for this format. */
  static final String VERSION_1 = "columnar-v1";

  static final int BOOLEAN = 1;
  static final int INT8 = 2;
  static final int INT16 = 3;
  static final int INT32 = 4;
  static final int INT64 = 5;
  static final int FLOAT32 = 6;
  static final int FLOAT64 = 7;
  static final int DECIMAL128 = 8;
  static final int UTF8 = 9;
  static final int BINARY = 10;
  static final int DATE32 = 11;
  static final int TIME32 = 12;
  static final int TIMESTAMP64 = 13;
  static final int TIMESTAMPTZ64 = 14;

  static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle FLOAT =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle DOUBLE =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

  private static final byte[] MAGIC = {'N', 'Q', 'L', 'F'};
  private static final int VERSION = 1;
  private static final int HEADER = 17;

  private ColumnarFrameReader() {}

  /** Where one column of a chunk lies in the payload. */
  static final class Column {
    final int kind;

    /** Start of the validity bitmap, or -1 when the column has no NULL in this chunk. */
    final int validity;

    /** Start of the values (of the offsets for UTF8 and BINARY). */
    final int data;

    /** For UTF8 and BINARY, the start of the bytes the offsets point into. */
    final int bytes;

    /** For DECIMAL128, the scale of the values. */
    final int scale;

    Column(int kind, int validity, int data, int bytes, int scale) {
      this.kind = kind;
      this.validity = validity;
      this.data = data;
      this.bytes = bytes;
      this.scale = scale;
    }
  }

  /** Rows of a frame, a column at a time. */
  static final class Chunk {
    final int rows;
    final Column[] columns;

    Chunk(int rows, Column[] columns) {
      this.rows = rows;
      this.columns = columns;
    }
  }

  /**
   * A decoded frame: its payload, where its chunks lie in it, and the result it belongs to (the
   * offset of the result's first row in fetch requests).
   */
  record Decoded(byte[] payload, List<Chunk> chunks, long rows, boolean done, long result) {}

  /**
   * Whether the connection's results can come in columnar frames: the same rule as the gateway's,
   * every column of a type the format carries and not a lone binary column (whose standard frame,
   * one row of one byte string, would look like a columnar one).
   */
  static boolean supports(List<ColumnMetaData> columns) {
    if (columns.isEmpty()) {
      return false;
    }
    for (ColumnMetaData c : columns) {
      if (!supports(c.type.id)) {
        return false;
      }
    }
    int only = columns.get(0).type.id;
    return columns.size() > 1 || !(only == Types.BINARY || only == Types.VARBINARY);
  }

  private static boolean supports(int jdbcType) {
    return switch (jdbcType) {
      case Types.BOOLEAN,
          Types.TINYINT,
          Types.SMALLINT,
          Types.INTEGER,
          Types.BIGINT,
          Types.REAL,
          Types.FLOAT,
          Types.DOUBLE,
          Types.DECIMAL,
          Types.CHAR,
          Types.VARCHAR,
          Types.BINARY,
          Types.VARBINARY,
          Types.DATE,
          Types.TIME,
          Types.TIMESTAMP,
          Types.TIMESTAMP_WITH_TIMEZONE ->
          true;
      default -> false;
    };
  }

  /**
   * The payload of a columnar frame, or null when the frame is a standard one: one row of one byte
   * string that starts with the format's mark. A result whose columns {@link #supports} never has
   * such a standard frame.
   */
  static byte[] payload(Meta.Frame frame) {
    if (frame == null || !(frame.rows instanceof List<?> rows) || rows.size() != 1) {
      return null;
    }
    if (!(rows.get(0) instanceof List<?> row) || row.size() != 1) {
      return null;
    }
    if (!(row.get(0) instanceof byte[] bytes) || bytes.length < HEADER) {
      return null;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        return null;
      }
    }
    return bytes;
  }

  /**
   * Decodes a columnar frame of a result with {@code columns}.
   *
   * @throws SQLException (08P01) when the frame is not columnar or does not match the columns
   */
  static Decoded decode(Meta.Frame frame, List<ColumnMetaData> columns) throws SQLException {
    byte[] p = payload(frame);
    if (p == null) {
      throw malformed("a frame of a columnar result is not columnar");
    }
    if (p[4] != VERSION) {
      throw malformed("version " + p[4] + " of the columnar format is not known");
    }
    int n = (int) INT.get(p, 5);
    if (n != columns.size()) {
      throw malformed("it has " + n + " columns, the result " + columns.size());
    }
    List<Chunk> chunks = new ArrayList<>();
    long rows = 0;
    long result = (long) LONG.get(p, 9);
    int at = HEADER;
    try {
      while (at < p.length) {
        int count = (int) INT.get(p, at);
        if (count < 0) {
          throw malformed("a chunk of " + count + " rows");
        }
        at += 4;
        Column[] cs = new Column[n];
        for (int c = 0; c < n; c++) {
          int kind = p[at];
          boolean nulls = p[at + 1] != 0;
          at += 2;
          int validity = -1;
          if (nulls) {
            validity = at;
            at += (count + 7) >>> 3;
          }
          int scale = 0;
          int bytes = -1;
          int data = at;
          switch (kind) {
            case BOOLEAN -> at += (count + 7) >>> 3;
            case INT8 -> at += count;
            case INT16 -> at += 2 * count;
            case INT32, FLOAT32, DATE32, TIME32 -> at += 4 * count;
            case INT64, FLOAT64, TIMESTAMP64, TIMESTAMPTZ64 -> at += 8 * count;
            case DECIMAL128 -> {
              scale = (int) INT.get(p, at);
              data = at + 4;
              at = data + 16 * count;
            }
            case UTF8, BINARY -> {
              bytes = at + 4 * (count + 1);
              int length = (int) INT.get(p, at + 4 * count);
              if (length < 0) {
                throw malformed("a column of " + length + " bytes");
              }
              at = bytes + length;
            }
            default -> throw malformed("column kind " + kind + " is not known");
          }
          if (!fits(kind, columns.get(c).type.id)) {
            throw malformed(
                "column " + (c + 1) + " has kind " + kind + ", not one of its JDBC type");
          }
          cs[c] = new Column(kind, validity, data, bytes, scale);
        }
        if (at > p.length) {
          throw malformed("it ends inside a chunk");
        }
        chunks.add(new Chunk(count, cs));
        rows += count;
      }
    } catch (IndexOutOfBoundsException e) {
      throw malformed("it ends inside a chunk");
    }
    return new Decoded(p, chunks, rows, frame.done, result);
  }

  /** Whether values of a kind are what the gateway sends for a column of this JDBC type. */
  private static boolean fits(int kind, int jdbcType) {
    return switch (jdbcType) {
      case Types.BOOLEAN -> kind == BOOLEAN;
      case Types.TINYINT -> kind == INT8;
      case Types.SMALLINT -> kind == INT16;
      case Types.INTEGER -> kind == INT32;
      case Types.BIGINT -> kind == INT64;
      case Types.REAL -> kind == FLOAT32;
      case Types.FLOAT, Types.DOUBLE -> kind == FLOAT64;
      case Types.DECIMAL -> kind == DECIMAL128;
      case Types.CHAR, Types.VARCHAR -> kind == UTF8;
      case Types.BINARY, Types.VARBINARY -> kind == BINARY;
      case Types.DATE -> kind == DATE32;
      case Types.TIME -> kind == TIME32;
      case Types.TIMESTAMP -> kind == TIMESTAMP64;
      case Types.TIMESTAMP_WITH_TIMEZONE -> kind == TIMESTAMPTZ64;
      default -> false;
    };
  }

  private static SQLException malformed(String why) {
    return new SQLException("Cannot read a result frame from the gateway: " + why, "08P01");
  }
}
