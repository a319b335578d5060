package io.nql.planner.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.util.List;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class PartitionSpecsTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "name", Types.StringType.get()),
          Types.NestedField.optional(3, "ts", Types.TimestampType.withZone()),
          Types.NestedField.optional(4, "day", Types.DateType.get()));

  @Test
  void buildsEveryTransform() {
    PartitionSpec spec =
        PartitionSpecs.build(
            SCHEMA,
            List.of(
                PartitionTerm.of("ts", "HOUR"),
                PartitionTerm.of("day", "month"),
                PartitionTerm.of("id", "bucket", 16),
                PartitionTerm.of("name", "truncate", 3)));

    assertThat(spec.fields())
        .extracting(PartitionField::name)
        .containsExactly("ts_hour", "day_month", "id_bucket", "name_trunc");
    assertThat(spec.fields().get(2).transform().toString()).isEqualTo("bucket[16]");
    assertThat(PartitionSpecs.build(SCHEMA, List.of(PartitionTerm.of("name", "identity"))).fields())
        .hasSize(1);
    assertThat(PartitionSpecs.build(SCHEMA, List.of(PartitionTerm.of("ts", "year"))).fields())
        .hasSize(1);
    assertThat(PartitionSpecs.build(SCHEMA, List.of(PartitionTerm.of("ts", "day"))).fields())
        .hasSize(1);
    assertThat(PartitionSpecs.build(SCHEMA, List.of()).isUnpartitioned()).isTrue();
  }

  @Test
  void refusesUnknownColumnsTransformsAndBadArguments() {
    assertInvalid(
        List.of(PartitionTerm.of("nope", "identity")),
        "Cannot partition by identity(nope): the dataset has no column nope");
    assertInvalid(
        List.of(PartitionTerm.of("ts", "week")),
        "Cannot partition by week(ts): unknown transform week; use identity, year, month, day,"
            + " hour, bucket[n] or truncate[n]");
    assertInvalid(
        List.of(PartitionTerm.of("id", "bucket")),
        "Cannot partition by bucket(id): bucket needs a positive argument, e.g. bucket[16]");
    assertInvalid(
        List.of(PartitionTerm.of("id", "truncate", 0)),
        "Cannot partition by truncate(id): truncate needs a positive argument, e.g. truncate[16]");
    assertInvalid(
        List.of(PartitionTerm.of("id", "identity", 3)),
        "Cannot partition by identity(id): identity takes no argument");
    assertInvalid(
        List.of(PartitionTerm.of("name", "year")),
        "Cannot partition by year(name): year does not apply to column name of type string");
    assertInvalid(
        List.of(PartitionTerm.of("ts", "day"), PartitionTerm.of("ts", "day")),
        "Cannot partition by day(ts): the dataset is already partitioned by ts in a conflicting"
            + " way");
  }

  private static void assertInvalid(List<PartitionTerm> terms, String message) {
    NqlException e =
        catchThrowableOfType(NqlException.class, () -> PartitionSpecs.build(SCHEMA, terms));
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    assertThat(e.getMessage()).isEqualTo(message);
  }
}
