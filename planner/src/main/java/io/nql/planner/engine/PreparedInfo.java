package io.nql.planner.engine;

import io.nql.planner.result.ResultColumn;
import java.util.List;

/**
 * What a statement will produce, known before it runs.
 *
 * @param query true when the statement returns rows
 * @param columns the result columns (empty for non-queries)
 * @param parameters the types of the {@code ?} parameters, in order
 */
public record PreparedInfo(
    boolean query, List<ResultColumn> columns, List<ResultColumn> parameters) {}
