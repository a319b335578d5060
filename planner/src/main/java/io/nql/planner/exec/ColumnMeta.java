package io.nql.planner.exec;

/**
 * One result column.
 *
 * @param name column label
 * @param jdbcType a {@link java.sql.Types} code
 * @param typeName SQL type name, e.g. {@code VARCHAR}, {@code DECIMAL}
 * @param precision precision or length, -1 when not applicable or unbounded
 * @param scale scale, 0 when not applicable
 * @param nullable whether the column may hold NULL
 */
public record ColumnMeta(
    String name, int jdbcType, String typeName, int precision, int scale, boolean nullable) {}
