package io.nql.planner.rosetta.classify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What the classifier sees of one column: its name, its SQL type and a sample of its values. (Row
 * and distinct counts of the whole dataset are not asked for: the recognizers judge shares of the
 * sample; a later one that needs them can add them here.)
 *
 * @param name the column's name as stored (any case; quoted in expressions when it needs to be)
 * @param sqlType the SQL type name: {@code VARCHAR}, {@code BIGINT}, {@code INTEGER}, {@code
 *     DOUBLE}, {@code DECIMAL}, {@code BOOLEAN}, {@code DATE}, {@code TIMESTAMP} or {@code
 *     TIMESTAMP_WITH_LOCAL_TIME_ZONE} (also {@code CHAR}, {@code SMALLINT}, {@code TINYINT}, {@code
 *     REAL}, {@code FLOAT}; any case; a precision such as {@code (10,2)} and spaces for underscores
 *     are accepted)
 * @param values sampled values, nulls included: {@link String}, {@link Long}, {@link Integer},
 *     {@link Double}, {@link java.math.BigDecimal}, {@link Boolean} or {@code java.time} values; a
 *     few thousand are plenty, fewer than ten lower the confidence
 */
public record ColumnSample(String name, String sqlType, List<Object> values) {
  public ColumnSample {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sqlType, "sqlType");
    // nulls are values of the sample, so no List.copyOf
    values = Collections.unmodifiableList(new ArrayList<>(values));
  }
}
