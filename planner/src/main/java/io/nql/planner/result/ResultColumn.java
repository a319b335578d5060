package io.nql.planner.result;

import java.sql.Types;

/**
 * One column of a statement result.
 *
 * @param name column label as the client sees it
 * @param jdbcType a {@link java.sql.Types} code
 * @param typeName the SQL type name (e.g. {@code DECIMAL}, {@code VARCHAR})
 * @param precision precision for DECIMAL, length for character/binary types, 0 when not applicable
 * @param scale scale for DECIMAL, 0 otherwise
 * @param nullable whether the column may hold NULL
 */
public record ResultColumn(
    String name, int jdbcType, String typeName, int precision, int scale, boolean nullable) {

  /** The size JDBC metadata reports for character and binary types without a length. */
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  /** A nullable VARCHAR column, for result sets the engine builds itself (SHOW, DESCRIBE). */
  public static ResultColumn varchar(String name) {
    return new ResultColumn(name, java.sql.Types.VARCHAR, "VARCHAR", 0, 0, true);
  }

  /** A BIGINT column. */
  public static ResultColumn bigint(String name, boolean nullable) {
    return new ResultColumn(name, java.sql.Types.BIGINT, "BIGINT", 19, 0, nullable);
  }

  /** A BOOLEAN column. */
  public static ResultColumn bool(String name) {
    return new ResultColumn(name, java.sql.Types.BOOLEAN, "BOOLEAN", 1, 0, true);
  }

  /** A TIMESTAMP column (UTC). */
  public static ResultColumn timestamp(String name) {
    return new ResultColumn(name, java.sql.Types.TIMESTAMP, "TIMESTAMP", 3, 0, true);
  }

  /**
   * JDBC's COLUMN_SIZE: digits of numeric types, characters of date/time text, the length of
   * character and binary types ({@link #UNBOUNDED} without one).
   */
  public Integer columnSize() {
    return switch (jdbcType) {
      case Types.BOOLEAN -> 1;
      case Types.TINYINT -> 3;
      case Types.SMALLINT -> 5;
      case Types.INTEGER -> 10;
      case Types.BIGINT -> 19;
      case Types.REAL -> 7;
      case Types.FLOAT, Types.DOUBLE -> 15;
      case Types.DATE -> 10;
      // hh:mm:ss[.fff], yyyy-mm-dd hh:mm:ss[.fff][+hh:mm]: the fraction has precision() digits
      case Types.TIME -> 8 + fraction();
      case Types.TIMESTAMP -> 19 + fraction();
      case Types.TIMESTAMP_WITH_TIMEZONE -> 19 + fraction() + 6;
      case Types.CHAR, Types.VARCHAR, Types.BINARY, Types.VARBINARY ->
          precision() > 0 ? precision() : UNBOUNDED;
      default -> precision() > 0 ? precision() : null;
    };
  }

  private int fraction() {
    return precision() > 0 ? precision() + 1 : 0;
  }

  /** JDBC's DECIMAL_DIGITS: the scale of exact numbers, the fraction digits of times. */
  public Integer decimalDigits() {
    return switch (jdbcType) {
      case Types.DECIMAL, Types.NUMERIC -> scale();
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> 0;
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE, Types.TIME -> precision();
      default -> null;
    };
  }

  /** JDBC's NUM_PREC_RADIX: 10 for numbers (sizes are decimal digits), else null. */
  public Integer radix() {
    return switch (jdbcType) {
      case Types.TINYINT,
          Types.SMALLINT,
          Types.INTEGER,
          Types.BIGINT,
          Types.DECIMAL,
          Types.NUMERIC,
          // COLUMN_SIZE of approximate types is given in decimal digits (7, 15)
          Types.REAL,
          Types.FLOAT,
          Types.DOUBLE ->
          10;
      default -> null;
    };
  }

  /** JDBC's CHAR_OCTET_LENGTH of character and binary types, else null. */
  public Integer charOctetLength() {
    return switch (jdbcType) {
      case Types.CHAR, Types.VARCHAR, Types.BINARY, Types.VARBINARY ->
          precision() > 0 ? precision() : UNBOUNDED;
      default -> null;
    };
  }
}
