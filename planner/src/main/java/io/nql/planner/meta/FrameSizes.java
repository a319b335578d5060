package io.nql.planner.meta;

import io.nql.planner.result.ResultColumn;
import java.sql.Types;
import java.util.List;

/**
 * How many rows go in one result frame: about {@code targetBytes} of encoded rows, the count worked
 * out from the width of the result's rows; the first frame of a result an eighth of that, so that
 * its first rows come back soon; never more rows than the client's fetch size (when it gives one)
 * nor than {@code maxRows} (when positive); always at least one row.
 *
 * @param targetBytes the encoded size a frame aims at
 * @param maxRows the most rows of any frame, or 0 for no limit beyond the size
 */
public record FrameSizes(long targetBytes, int maxRows) {
  /** The size a frame aims at by default: 2 MiB. */
  public static final long DEFAULT_TARGET_BYTES = 2L << 20;

  /** Frames of about 2 MiB, of any number of rows. */
  public static final FrameSizes DEFAULT = new FrameSizes(DEFAULT_TARGET_BYTES, 0);

  /** Below this, a first frame is not made smaller than the others. */
  private static final long SMALLEST_FIRST_FRAME = 64 << 10;

  /** Bytes assumed for a string or binary value of unknown length. */
  private static final int UNKNOWN_LENGTH = 24;

  /**
   * @throws IllegalArgumentException when the target is below 1 KiB or the row limit is negative
   */
  public FrameSizes {
    if (targetBytes < 1024) {
      throw new IllegalArgumentException(
          "Cannot use frame size " + targetBytes + ": must be at least 1 KiB");
    }
    if (maxRows < 0) {
      throw new IllegalArgumentException(
          "Cannot use frame rows " + maxRows + ": must be 0 (no limit) or more");
    }
  }

  /** The most rows of a frame, given the client's fetch size (0 or less: none given). */
  int rowLimit(int fetchRows) {
    int limit = maxRows > 0 ? maxRows : Integer.MAX_VALUE;
    return fetchRows > 0 ? Math.min(limit, fetchRows) : limit;
  }

  /** The size a frame aims at; smaller for a result's first frame. */
  long byteTarget(boolean first) {
    return first
        ? Math.max(Math.min(targetBytes, SMALLEST_FIRST_FRAME), targetBytes / 8)
        : targetBytes;
  }

  /**
   * The bytes a row of these columns takes in a columnar frame, estimated from the declared types
   * (strings and binaries of unknown length count {@value #UNKNOWN_LENGTH} bytes).
   */
  static int columnarWidth(List<ResultColumn> columns) {
    int width = 0;
    for (ResultColumn c : columns) {
      width += valueWidth(c) + 1;
    }
    return Math.max(1, width);
  }

  /**
   * The bytes a row of these columns takes in a standard Avatica frame: every value is a protobuf
   * message, sent twice (as the scalar value and as its deprecated copy).
   */
  static int standardWidth(List<ResultColumn> columns) {
    int width = 0;
    for (ResultColumn c : columns) {
      width += 2 * (valueWidth(c) + 8);
    }
    return Math.max(1, width + 4);
  }

  /** Rows of {@code rowBytes} bytes that fill {@code bytes}: at least 1. */
  static int rowsFor(long bytes, double rowBytes) {
    double rows = bytes / Math.max(1.0, rowBytes);
    return rows >= Integer.MAX_VALUE ? Integer.MAX_VALUE : Math.max(1, (int) rows);
  }

  private static int valueWidth(ResultColumn c) {
    return switch (c.jdbcType()) {
      case Types.BOOLEAN, Types.TINYINT -> 1;
      case Types.SMALLINT -> 2;
      case Types.INTEGER, Types.REAL, Types.DATE, Types.TIME -> 4;
      case Types.BIGINT, Types.DOUBLE, Types.FLOAT -> 8;
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> 8;
      case Types.DECIMAL, Types.NUMERIC -> 16;
      default ->
          4
              + (c.precision() > 0 && c.precision() < UNKNOWN_LENGTH
                  ? c.precision()
                  : UNKNOWN_LENGTH);
    };
  }
}
