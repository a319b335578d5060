package io.nql.planner.parser;

/** An Iceberg partition transform of a {@code PARTITIONED_BY} field. */
public enum PartitionTransform {
  IDENTITY,
  YEAR,
  MONTH,
  DAY,
  HOUR,
  /** {@code BUCKET(n)}: hash into n buckets; has a width. */
  BUCKET,
  /** {@code TRUNCATE(n)}: truncate to width n; has a width. */
  TRUNCATE;

  /** True when the transform takes a width argument, {@code BUCKET(n)} or {@code TRUNCATE(n)}. */
  public boolean hasWidth() {
    return this == BUCKET || this == TRUNCATE;
  }
}
