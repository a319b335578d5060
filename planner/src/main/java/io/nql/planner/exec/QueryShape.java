package io.nql.planner.exec;

import java.util.List;

/**
 * What a query returns and takes, known from validation alone.
 *
 * @param columns the result columns
 * @param parameters the types of the {@code ?} parameters, in order
 */
public record QueryShape(List<ColumnMeta> columns, List<ColumnMeta> parameters) {}
