package io.nql.planner.warehouse;

/**
 * One term of a {@code PARTITIONED_BY} clause: a column, a transform and the transform's argument.
 *
 * @param column the source column
 * @param transform {@code identity}, {@code year}, {@code month}, {@code day}, {@code hour}, {@code
 *     bucket} or {@code truncate} (case-insensitive)
 * @param argument the bucket count or truncation width; null for the other transforms
 */
public record PartitionTerm(String column, String transform, Integer argument) {
  /** A term without argument. */
  public static PartitionTerm of(String column, String transform) {
    return new PartitionTerm(column, transform, null);
  }

  /** A term with an argument ({@code bucket[n]}, {@code truncate[n]}). */
  public static PartitionTerm of(String column, String transform, int argument) {
    return new PartitionTerm(column, transform, argument);
  }
}
