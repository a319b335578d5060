package io.nql.planner.meta;

import java.sql.Types;

/** SQL literals of each type NQL columns can have, for tests that run expressions over them. */
final class TypeSamples {
  private TypeSamples() {}

  /**
   * A value of the type; a character value spells {@code text} (so that it converts to a target
   * type).
   */
  static String of(int jdbcType, String text) {
    return switch (jdbcType) {
      case Types.BOOLEAN -> "TRUE";
      case Types.TINYINT -> "CAST(1 AS TINYINT)";
      case Types.SMALLINT -> "CAST(1 AS SMALLINT)";
      case Types.INTEGER -> "CAST(1 AS INTEGER)";
      case Types.BIGINT -> "CAST(1 AS BIGINT)";
      case Types.REAL -> "CAST(1 AS REAL)";
      case Types.DOUBLE -> "CAST(1 AS DOUBLE)";
      case Types.DECIMAL -> "CAST(1 AS DECIMAL(5, 2))";
      case Types.CHAR -> "CAST('" + text + "' AS CHAR(" + text.length() + "))";
      case Types.VARCHAR -> "'" + text + "'";
      case Types.BINARY -> "CAST(X'61' AS BINARY(1))";
      case Types.VARBINARY -> "X'61'";
      case Types.DATE -> "DATE '2026-01-01'";
      case Types.TIME -> "TIME '10:00:00'";
      case Types.TIMESTAMP -> "TIMESTAMP '2026-01-01 10:00:00'";
      case Types.TIMESTAMP_WITH_TIMEZONE -> "TIMESTAMP WITH LOCAL TIME ZONE '2026-01-01 10:00:00'";
      default -> throw new IllegalArgumentException("no sample of type " + jdbcType);
    };
  }
}
