package io.nql.planner.forecast;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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

  private static final int FORMAT = 1;

  /** The column of this name, or -1. */
  public int column(String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
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

  /** The profile in the form stored in a Puffin blob. */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(FORMAT);
      out.writeLong(rows);
      out.writeLong(fingerprint);
      out.writeLong(snapshotId);
      out.writeLong(snapshotMillis);
      out.writeLong(changedMillis);
      out.writeInt(columns.size());
      for (ColumnProfile c : columns) {
        c.write(out);
      }
      out.writeInt(sampleWeights.length);
      for (long w : sampleWeights) {
        out.writeLong(w);
      }
      for (short[] codes : sampleCodes) {
        for (short c : codes) {
          out.writeShort(c);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads a profile written by {@link #toBytes}. */
  public static Profile fromBytes(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int format = in.readInt();
      if (format != FORMAT) {
        throw new IOException("unknown statistics format " + format);
      }
      long rows = in.readLong();
      long fingerprint = in.readLong();
      long snapshotId = in.readLong();
      long snapshotMillis = in.readLong();
      long changedMillis = in.readLong();
      int n = in.readInt();
      List<ColumnProfile> columns = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        columns.add(ColumnProfile.read(in));
      }
      int size = in.readInt();
      long[] weights = new long[size];
      for (int i = 0; i < size; i++) {
        weights[i] = in.readLong();
      }
      short[][] codes = new short[n][size];
      for (int c = 0; c < n; c++) {
        for (int i = 0; i < size; i++) {
          codes[c][i] = in.readShort();
        }
      }
      return new Profile(
          rows, fingerprint, snapshotId, snapshotMillis, changedMillis, columns, weights, codes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
