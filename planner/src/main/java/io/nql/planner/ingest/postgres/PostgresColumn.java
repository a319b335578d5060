package io.nql.planner.ingest.postgres;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Set;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * One column of a PostgreSQL result and the dataset type it is imported as (docs/reference/
 * copy-into.md, "FROM POSTGRES"): integers and floats as their own sizes, {@code numeric(p,s)} as
 * DECIMAL(p,s) (p ≤ 38), text types, {@code uuid} and {@code json}/{@code jsonb} as VARCHAR, dates
 * and timestamps as themselves, {@code bytea} as VARBINARY. Any other type is refused before
 * anything is read. Values a dataset type cannot hold ({@code NaN} of a numeric, {@code infinity}
 * of a date or timestamp) are read as their PostgreSQL text, which the load then refuses for that
 * row with the column's type named.
 *
 * @param name the column's name as PostgreSQL gives it (its alias)
 * @param sourceType the PostgreSQL type, e.g. {@code int4}, {@code numeric(12,2)}
 * @param type the dataset type
 * @param reader reads the column of the current row
 */
record PostgresColumn(String name, String sourceType, Type type, Reader reader) {
  /** Reads one column of the current row as a Java value of {@code type}, or null. */
  @FunctionalInterface
  interface Reader {
    Object read(ResultSet rs, int column) throws SQLException;
  }

  /** Iceberg's largest decimal precision. */
  private static final int MAX_PRECISION = 38;

  private static final Set<String> TEXT =
      Set.of("text", "varchar", "bpchar", "name", "uuid", "json", "jsonb");

  /**
   * A PostgreSQL type no dataset type holds exactly.
   *
   * @param sourceType the type as PostgreSQL names it, e.g. {@code point}, {@code numeric(40,2)}
   * @param reason why: {@link Reason#TYPE} (no dataset type), {@link Reason#NO_PRECISION} (a {@code
   *     numeric} without one), {@link Reason#TOO_LARGE} (a precision or scale no DECIMAL has)
   */
  record Unsupported(String sourceType, Reason reason) {
    enum Reason {
      TYPE,
      NO_PRECISION,
      TOO_LARGE
    }
  }

  /** Thrown by {@link #map}: the caller words the error for its statement. */
  static final class UnsupportedType extends Exception {
    private final Unsupported unsupported;

    UnsupportedType(Unsupported unsupported) {
      super(unsupported.sourceType(), null, false, false);
      this.unsupported = unsupported;
    }

    Unsupported unsupported() {
      return unsupported;
    }
  }

  /**
   * The column at a 1-based position of a result.
   *
   * @throws NqlException NOT_SUPPORTED for a type that has no dataset type, naming the column
   */
  static PostgresColumn of(ResultSetMetaData md, int column) throws SQLException {
    String name = md.getColumnLabel(column);
    try {
      return map(name, md.getColumnTypeName(column), md.getPrecision(column), md.getScale(column));
    } catch (UnsupportedType e) {
      Unsupported u = e.unsupported();
      throw unsupported(
          name,
          u.sourceType(),
          switch (u.reason()) {
            case TYPE -> "";
            case NO_PRECISION ->
                " without a precision; cast it to numeric(p,s) (p at most 38) in a QUERY";
            case TOO_LARGE -> "; a DECIMAL has a precision of at most 38 and a scale from 0 to it";
          });
    }
  }

  /**
   * The one mapping of PostgreSQL types to dataset types, for imports and for datasets in a data
   * plane alike.
   *
   * @param name the column's name
   * @param pgType the type's name as PostgreSQL's catalog gives it ({@code pg_type.typname}, which
   *     is {@code information_schema.columns.udt_name} and the driver's column type name)
   * @param precision a {@code numeric}'s precision, 0 (or less) when it has none
   * @param scale a {@code numeric}'s scale
   * @throws UnsupportedType for a type no dataset type holds
   */
  static PostgresColumn map(String name, String pgType, int precision, int scale)
      throws UnsupportedType {
    switch (pgType) {
      case "int2", "int4":
        return new PostgresColumn(name, pgType, Types.IntegerType.get(), PostgresColumn::int4);
      case "int8":
        return new PostgresColumn(name, pgType, Types.LongType.get(), PostgresColumn::int8);
      case "float4":
        return new PostgresColumn(name, pgType, Types.FloatType.get(), PostgresColumn::float4);
      case "float8":
        return new PostgresColumn(name, pgType, Types.DoubleType.get(), PostgresColumn::float8);
      case "bool":
        return new PostgresColumn(name, pgType, Types.BooleanType.get(), PostgresColumn::bool);
      case "numeric":
        return numeric(name, precision, scale);
      case "date":
        return new PostgresColumn(name, pgType, Types.DateType.get(), PostgresColumn::date);
      case "timestamp":
        return new PostgresColumn(
            name, pgType, Types.TimestampType.withoutZone(), PostgresColumn::timestamp);
      case "timestamptz":
        return new PostgresColumn(
            name, pgType, Types.TimestampType.withZone(), PostgresColumn::timestamptz);
      case "bytea":
        return new PostgresColumn(name, pgType, Types.BinaryType.get(), ResultSet::getBytes);
      default:
        if (TEXT.contains(pgType)) {
          return new PostgresColumn(name, pgType, Types.StringType.get(), ResultSet::getString);
        }
        throw new UnsupportedType(new Unsupported(pgType, Unsupported.Reason.TYPE));
    }
  }

  private static PostgresColumn numeric(String name, int precision, int scale)
      throws UnsupportedType {
    if (precision <= 0) {
      throw new UnsupportedType(new Unsupported("numeric", Unsupported.Reason.NO_PRECISION));
    }
    String pgType = String.format(Locale.ROOT, "numeric(%d,%d)", precision, scale);
    if (precision > MAX_PRECISION || scale < 0 || scale > precision) {
      throw new UnsupportedType(new Unsupported(pgType, Unsupported.Reason.TOO_LARGE));
    }
    return new PostgresColumn(
        name, pgType, Types.DecimalType.of(precision, scale), PostgresColumn::numeric);
  }

  private static NqlException unsupported(String name, String pgType, String detail) {
    return NqlException.of(
        ErrorCode.NOT_SUPPORTED,
        "Cannot import column '%s': PostgreSQL type %s is not supported%s",
        name,
        pgType,
        detail.isEmpty() ? "; cast it to a supported type (e.g. text) in a QUERY" : detail);
  }

  private static Object int4(ResultSet rs, int c) throws SQLException {
    int v = rs.getInt(c);
    return rs.wasNull() ? null : v;
  }

  private static Object int8(ResultSet rs, int c) throws SQLException {
    long v = rs.getLong(c);
    return rs.wasNull() ? null : v;
  }

  private static Object float4(ResultSet rs, int c) throws SQLException {
    float v = rs.getFloat(c);
    return rs.wasNull() ? null : v;
  }

  private static Object float8(ResultSet rs, int c) throws SQLException {
    double v = rs.getDouble(c);
    return rs.wasNull() ? null : v;
  }

  private static Object bool(ResultSet rs, int c) throws SQLException {
    boolean v = rs.getBoolean(c);
    return rs.wasNull() ? null : v;
  }

  /** NaN stays text: no DECIMAL holds it (a DOUBLE column does). */
  private static Object numeric(ResultSet rs, int c) throws SQLException {
    String v = rs.getString(c);
    return v == null || v.equals("NaN") ? v : new BigDecimal(v);
  }

  /** The driver reads {@code infinity} as the largest date: kept as the text it was. */
  private static Object date(ResultSet rs, int c) throws SQLException {
    LocalDate v = rs.getObject(c, LocalDate.class);
    return v == null || !v.equals(LocalDate.MAX) && !v.equals(LocalDate.MIN) ? v : rs.getString(c);
  }

  private static Object timestamp(ResultSet rs, int c) throws SQLException {
    LocalDateTime v = rs.getObject(c, LocalDateTime.class);
    return v == null || !v.equals(LocalDateTime.MAX) && !v.equals(LocalDateTime.MIN)
        ? v
        : rs.getString(c);
  }

  private static Object timestamptz(ResultSet rs, int c) throws SQLException {
    OffsetDateTime v = rs.getObject(c, OffsetDateTime.class);
    return v == null || !v.equals(OffsetDateTime.MAX) && !v.equals(OffsetDateTime.MIN)
        ? v
        : rs.getString(c);
  }
}
