package io.nql.planner.warehouse;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.transforms.Transform;
import org.apache.iceberg.transforms.Transforms;
import org.apache.iceberg.types.Types;

/** Builds Iceberg partition specs from {@link PartitionTerm}s. */
public final class PartitionSpecs {
  private static final String KNOWN = "identity, year, month, day, hour, bucket[n] or truncate[n]";

  private PartitionSpecs() {}

  /**
   * The partition spec of {@code terms} over {@code schema}; no terms give an unpartitioned spec.
   *
   * @throws NqlException INVALID_PARAMETER_VALUE for an unknown column or transform, a missing or
   *     non-positive argument, a transform that does not apply to the column's type, or a column
   *     partitioned twice the same way
   */
  public static PartitionSpec build(Schema schema, List<PartitionTerm> terms) {
    PartitionSpec.Builder builder = PartitionSpec.builderFor(schema);
    for (PartitionTerm term : terms) {
      add(builder, schema, term);
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException | ValidationException e) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot partition dataset: the partition terms conflict with each other");
    }
  }

  private static void add(PartitionSpec.Builder builder, Schema schema, PartitionTerm term) {
    String column = term.column();
    String transform =
        term.transform() == null ? "" : term.transform().strip().toLowerCase(Locale.ROOT);
    String shown = transform + "(" + column + ")";
    Types.NestedField field = column == null ? null : schema.findField(column);
    if (field == null) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot partition by %s: the dataset has no column %s",
          shown,
          column);
    }
    boolean takesArgument = transform.equals("bucket") || transform.equals("truncate");
    if (takesArgument && (term.argument() == null || term.argument() <= 0)) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot partition by %s: %s needs a positive argument, e.g. %s[16]",
          shown,
          transform,
          transform);
    }
    if (!takesArgument && term.argument() != null) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot partition by %s: %s takes no argument",
          shown,
          transform);
    }
    Transform<?, ?> check =
        switch (transform) {
          case "identity" -> Transforms.identity();
          case "year", "years" -> Transforms.year();
          case "month", "months" -> Transforms.month();
          case "day", "days" -> Transforms.day();
          case "hour", "hours" -> Transforms.hour();
          case "bucket" -> Transforms.bucket(term.argument());
          case "truncate" -> Transforms.truncate(term.argument());
          default ->
              throw NqlException.of(
                  ErrorCode.INVALID_PARAMETER_VALUE,
                  "Cannot partition by %s: unknown transform %s; use %s",
                  shown,
                  term.transform(),
                  KNOWN);
        };
    if (!check.canTransform(field.type())) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot partition by %s: %s does not apply to column %s of type %s",
          shown,
          transform,
          column,
          field.type());
    }
    try {
      switch (transform) {
        case "identity" -> builder.identity(column);
        case "year", "years" -> builder.year(column);
        case "month", "months" -> builder.month(column);
        case "day", "days" -> builder.day(column);
        case "hour", "hours" -> builder.hour(column);
        case "bucket" -> builder.bucket(column, term.argument());
        default -> builder.truncate(column, term.argument());
      }
    } catch (IllegalArgumentException | ValidationException e) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot partition by %s: the dataset is already partitioned by %s in a conflicting way",
          shown,
          column);
    }
  }
}
