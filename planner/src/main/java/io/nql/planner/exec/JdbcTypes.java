package io.nql.planner.exec;

import io.nql.planner.result.ResultColumn;
import java.sql.Types;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The JDBC type code and type name under which a SQL type is reported, in result columns and in
 * metadata alike.
 *
 * <p>TIMESTAMP WITH LOCAL TIME ZONE (an instant: Iceberg's {@code timestamptz}) is reported as JDBC
 * 4.2's {@link Types#TIMESTAMP_WITH_TIMEZONE}, named {@code TIMESTAMP WITH TIME ZONE} as the SQL
 * standard, PostgreSQL's {@code information_schema}, Trino and H2 name it: a client then knows the
 * value is an instant (read as {@code OffsetDateTime} in UTC), not a wall-clock time. Every other
 * type keeps Calcite's code and name.
 */
public final class JdbcTypes {
  /** The JDBC name of TIMESTAMP WITH LOCAL TIME ZONE. */
  public static final String TIMESTAMP_WITH_TIME_ZONE = "TIMESTAMP WITH TIME ZONE";

  private JdbcTypes() {}

  /** The {@link Types} code of a SQL type ({@link Types#OTHER} when JDBC has none). */
  public static int code(SqlTypeName type) {
    if (type == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
      return Types.TIMESTAMP_WITH_TIMEZONE;
    }
    if (type == SqlTypeName.ROW || type == SqlTypeName.ARRAY) {
      return Types.VARCHAR; // row and array values arrive as JSON text on every front end
    }
    Integer jdbc = type.getJdbcOrdinal();
    return jdbc == null ? Types.OTHER : jdbc;
  }

  /** The type name reported with {@link #code}. */
  public static String name(SqlTypeName type) {
    if (type == SqlTypeName.ROW || type == SqlTypeName.ARRAY) {
      return SqlTypeName.VARCHAR.getName();
    }
    return type == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE
        ? TIMESTAMP_WITH_TIME_ZONE
        : type.getName();
  }

  /** A result column of a name and a SQL type, as every front end reports it. */
  public static ResultColumn column(String name, org.apache.calcite.rel.type.RelDataType type) {
    SqlTypeName sqlType = type.getSqlTypeName();
    int precision =
        sqlType.allowsPrec()
                && type.getPrecision()
                    != org.apache.calcite.rel.type.RelDataType.PRECISION_NOT_SPECIFIED
            ? type.getPrecision()
            : 0;
    int scale = sqlType.allowsScale() && type.getScale() >= 0 ? type.getScale() : 0;
    return new ResultColumn(
        name, code(sqlType), name(sqlType), precision, scale, type.isNullable());
  }
}
