package io.nql.planner.result;

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
}
