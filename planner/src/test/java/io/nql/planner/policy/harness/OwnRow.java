package io.nql.planner.policy.harness;

/**
 * One row of a dataset the buyer (or a third company) owns: {@code id, grp, tag, weight}.
 *
 * @param tag text, may be NULL
 * @param weight 1..7, never 0 (the buyer's own expressions may divide by it)
 */
public record OwnRow(long id, Integer grp, String tag, Integer weight) {
  static final String HEADER = "id,grp,tag,weight";
  static final String COLUMNS = "id BIGINT, grp INTEGER, tag VARCHAR, weight INTEGER";

  String csv() {
    return Csv.line(id, grp, tag, weight);
  }
}
