package io.nql.planner.forecast;

import java.util.List;

/**
 * Statistics of one source's rows — a dataset's, or an access rule's output rows — at one snapshot
 * of the dataset: what forecasts estimate from. A rule's profile is computed from the rule's rows
 * and columns only, so nothing the rule hides can influence a forecast.
 *
 * <p>Besides per-column statistics it keeps a sample of up to {@link Profiler#SAMPLE_ROWS} rows
 * (chosen by a hash of their values, so the same rows give the same sample whatever their order),
 * each value replaced by its column's code: null, one of the common values, or a histogram bucket.
 * The sample carries the correlations between columns that per-column statistics lose.
 *
 * @param rows the source's rows
 * @param fingerprint an order-independent hash of the rows (equal rows, equal fingerprint)
 * @param snapshotId the dataset snapshot the rows were read from
 * @param snapshotMillis that snapshot's commit time
 * @param changedMillis when the source's rows last changed: the commit time of the earliest
 *     snapshot since which every profile had this fingerprint (the source's freshness)
 * @param columns per-column statistics, in the source's column order
 * @param sampleWeights how many source rows each sampled row stands for (equal rows are sampled
 *     once)
 * @param sampleCodes per column, the code of each sampled row's value
 */
public record Profile(
    long rows,
    long fingerprint,
    long snapshotId,
    long snapshotMillis,
    long changedMillis,
    List<ColumnProfile> columns,
    long[] sampleWeights,
    short[][] sampleCodes) {

  /** The column of this name, or -1. */
  public int column(String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Distinct non-null values (estimated) per column, by the column's name in lower case. */
  public java.util.Map<String, Double> distinctValues() {
    java.util.Map<String, Double> out = new java.util.HashMap<>();
    for (ColumnProfile c : columns) {
      out.put(c.name().toLowerCase(java.util.Locale.ROOT), c.ndv());
    }
    return out;
  }

  /** Rows in the sample. */
  int sampleSize() {
    return sampleWeights.length;
  }

  /** This profile with another change time (when the rows are the same as before). */
  public Profile changedAt(long millis) {
    return new Profile(
        rows, fingerprint, snapshotId, snapshotMillis, millis, columns, sampleWeights, sampleCodes);
  }
}
