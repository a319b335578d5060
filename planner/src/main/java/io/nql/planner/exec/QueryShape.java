package io.nql.planner.exec;

import io.nql.planner.result.ResultColumn;
import java.util.List;

/**
 * What a query returns and takes, known from validation alone.
 *
 * @param columns the result columns
 * @param parameters the types of the {@code ?} parameters, in order
 */
public record QueryShape(List<ResultColumn> columns, List<ResultColumn> parameters) {}
