package io.nql.planner.engine;

import io.nql.planner.result.ResultColumn;
import java.util.List;

/**
 * A table the session's user may query, as metadata calls list it.
 *
 * @param schema {@code company_data}, a provider slug or {@code narrative}
 * @param name the table name as it is written in queries
 * @param type JDBC table type: {@code TABLE} for datasets, {@code VIEW} for access rules
 * @param remarks a description, or {@code null}
 * @param columns the columns the user may read, in order
 */
public record VisibleTable(
    String schema, String name, String type, String remarks, List<ResultColumn> columns) {}
