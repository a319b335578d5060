package io.nql.planner.forecast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllItemsSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.apache.datasketches.theta.UpdateSketch;

/**
 * Builds a {@link Profile} from one pass over a source's rows (values as {@code QueryResult#next}
 * returns them). Memory is bounded whatever the number of rows: sketches of fixed size and a sample
 * of at most {@link #SAMPLE_ROWS} rows.
 */
public final class Profiler {
  /** Rows kept in a profile's sample. */
  public static final int SAMPLE_ROWS = 16_384;

  /** A column with at most this many distinct values keeps all of them, with exact counts. */
  static final int SMALL_DISTINCT = 64;

  /** Most common values kept per column otherwise. */
  static final int MAX_COMMON = 200;

  /** A common value is shared by at least this many rows (and 1/2,000 of the non-null rows). */
  static final long MIN_COMMON_ROWS = 20;

  /** Histogram buckets per column. */
  static final int BUCKETS = 64;

  private static final int THETA_ENTRIES = 4096;
  private static final int FREQUENT_MAP = 2048;
  private static final long FINGERPRINT_SALT = 0x5DEECE66DL;

  private final String[] names;
  private final Values.Kind[] kinds;
  private final long[] nulls;
  private final UpdateSketch[] thetas;
  private final ItemsSketch<Object>[] frequent;
  private final KllDoublesSketch[] quantiles;
  private final KllItemsSketch<String>[] strings;
  private final String[] minString;
  private final String[] maxString;
  private final double[] min;
  private final double[] max;
  private final TreeMap<Long, Sampled> sample = new TreeMap<>();
  private long rows;
  private long fingerprint;

  private static final class Sampled {
    final Object[] values;
    long weight = 1;

    Sampled(Object[] values) {
      this.values = values;
    }
  }

  /**
   * @param names the source's column names
   * @param types each column's SQL type
   */
  @SuppressWarnings("unchecked")
  public Profiler(List<String> names, List<SqlTypeName> types) {
    int n = names.size();
    this.names = names.toArray(new String[0]);
    this.kinds = new Values.Kind[n];
    for (int i = 0; i < n; i++) {
      kinds[i] = Values.Kind.of(types.get(i));
    }
    nulls = new long[n];
    thetas = new UpdateSketch[n];
    frequent = new ItemsSketch[n];
    quantiles = new KllDoublesSketch[n];
    strings = new KllItemsSketch[n];
    minString = new String[n];
    maxString = new String[n];
    min = new double[n];
    max = new double[n];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < n; i++) {
      thetas[i] = UpdateSketch.builder().setNominalEntries(THETA_ENTRIES).build();
      frequent[i] = new ItemsSketch<>(FREQUENT_MAP);
      if (this.kinds[i] == Values.Kind.STRING) {
        strings[i] =
            KllItemsSketch.newHeapInstance(Comparator.naturalOrder(), new ArrayOfStringsSerDe());
      } else if (this.kinds[i].ordered()) {
        quantiles[i] = KllDoublesSketch.newHeapInstance();
      }
    }
  }

  /** Counts one row (external Java values, one per column). */
  public void add(Object[] row) {
    rows++;
    Object[] canonical = new Object[names.length];
    long h = 17;
    for (int i = 0; i < names.length; i++) {
      Object v = kinds[i] == Values.Kind.OTHER ? other(row[i]) : Values.canonical(row[i]);
      canonical[i] = v;
      h = Values.mix(h * 31 + Values.hash(v));
      if (v == null) {
        nulls[i]++;
        continue;
      }
      if (v instanceof Double d) {
        thetas[i].update(d);
      } else {
        thetas[i].update(v.toString());
      }
      frequent[i].update(v);
      if (v instanceof String str && strings[i] != null) {
        strings[i].update(str);
        if (minString[i] == null || str.compareTo(minString[i]) < 0) {
          minString[i] = str;
        }
        if (maxString[i] == null || str.compareTo(maxString[i]) > 0) {
          maxString[i] = str;
        }
      } else if (quantiles[i] != null) {
        double p = Values.position(v);
        quantiles[i].update(p);
        min[i] = Math.min(min[i], p);
        max[i] = Math.max(max[i], p);
      }
    }
    fingerprint += Values.mix(h + FINGERPRINT_SALT);
    Sampled same = sample.get(h);
    if (same != null) {
      same.weight++;
    } else if (sample.size() < SAMPLE_ROWS) {
      sample.put(h, new Sampled(canonical));
    } else if (h < sample.lastKey()) {
      sample.pollLastEntry();
      sample.put(h, new Sampled(canonical));
    }
  }

  private static Object other(Object v) {
    if (v == null) {
      return null;
    }
    return v instanceof byte[] b ? Arrays.toString(b) : v.toString();
  }

  /** The profile of the rows added. */
  public Profile finish(long snapshotId, long snapshotMillis) {
    List<ColumnProfile> columns = new ArrayList<>(names.length);
    for (int i = 0; i < names.length; i++) {
      columns.add(column(i));
    }
    int size = sample.size();
    long[] weights = new long[size];
    short[][] codes = new short[names.length][size];
    int r = 0;
    for (Sampled s : sample.values()) {
      weights[r] = s.weight;
      for (int c = 0; c < names.length; c++) {
        codes[c][r] = (short) columns.get(c).code(s.values[c]);
      }
      r++;
    }
    return new Profile(
        rows, fingerprint, snapshotId, snapshotMillis, snapshotMillis, columns, weights, codes);
  }

  private ColumnProfile column(int i) {
    long nonNull = rows - nulls[i];
    double ndv = thetas[i].getEstimate();
    ItemsSketch<Object> f = frequent[i];
    ItemsSketch.Row<Object>[] items = f.getFrequentItems(0, ErrorType.NO_FALSE_NEGATIVES);
    boolean complete = f.getMaximumError() == 0 && items.length <= SMALL_DISTINCT;
    List<ItemsSketch.Row<Object>> common = new ArrayList<>();
    if (complete) {
      common.addAll(Arrays.asList(items));
    } else {
      long least = Math.max(MIN_COMMON_ROWS, nonNull / 2000);
      for (ItemsSketch.Row<Object> row : items) {
        if (row.getLowerBound() >= least) {
          common.add(row);
        }
      }
    }
    common.sort(
        Comparator.comparingLong((ItemsSketch.Row<Object> row) -> row.getEstimate()).reversed());
    if (common.size() > MAX_COMMON) {
      common = common.subList(0, MAX_COMMON);
    }
    Object[] values = new Object[common.size()];
    long[] counts = new long[common.size()];
    for (int k = 0; k < values.length; k++) {
      values[k] = common.get(k).getItem();
      counts[k] = common.get(k).getEstimate();
    }
    ndv = Math.max(ndv, values.length);
    double[] bounds = new double[0];
    double[] bucketRows = new double[0];
    String prefix = minString[i] == null ? "" : commonPrefix(minString[i], maxString[i]);
    Line line = line(i, prefix);
    if (!complete && line != null) {
      bounds = bounds(i, line);
      bucketRows = bucketRows(i, line, bounds, values, counts, nonNull, prefix);
    }
    return new ColumnProfile(
        names[i],
        kinds[i],
        nulls[i],
        nonNull,
        ndv,
        complete,
        values,
        counts,
        bounds,
        bucketRows,
        thetas[i].compact().toByteArray(),
        prefix);
  }

  private static String commonPrefix(String a, String b) {
    int n = 0;
    int max = Math.min(Math.min(a.length(), b.length()), 64);
    while (n < max && a.charAt(n) == b.charAt(n)) {
      n++;
    }
    // never split a surrogate pair
    if (n > 0 && Character.isHighSurrogate(a.charAt(n - 1))) {
      n--;
    }
    return a.substring(0, n);
  }

  /** A column's values as positions on a line: their quantiles and ranks. */
  private interface Line {
    double min();

    double max();

    double[] quantiles(double[] ranks);

    /** The share of values below a position. */
    double rank(double position);
  }

  private Line line(int i, String prefix) {
    if (strings[i] != null && !strings[i].isEmpty()) {
      KllItemsSketch<String> k = strings[i];
      return new Line() {
        @Override
        public double min() {
          return Values.stringPosition(minString[i], prefix);
        }

        @Override
        public double max() {
          return Values.stringPosition(maxString[i], prefix);
        }

        @Override
        public double[] quantiles(double[] ranks) {
          String[] q = k.getQuantiles(ranks, QuantileSearchCriteria.INCLUSIVE);
          double[] out = new double[q.length];
          for (int j = 0; j < q.length; j++) {
            out[j] = Values.stringPosition(q[j], prefix);
          }
          return out;
        }

        @Override
        public double rank(double position) {
          return k.getRank(Values.fromPosition(prefix, position), QuantileSearchCriteria.EXCLUSIVE);
        }
      };
    }
    if (quantiles[i] != null && !quantiles[i].isEmpty()) {
      KllDoublesSketch k = quantiles[i];
      return new Line() {
        @Override
        public double min() {
          return min[i];
        }

        @Override
        public double max() {
          return max[i];
        }

        @Override
        public double[] quantiles(double[] ranks) {
          return k.getQuantiles(ranks);
        }

        @Override
        public double rank(double position) {
          return k.getRank(position, QuantileSearchCriteria.EXCLUSIVE);
        }
      };
    }
    return null;
  }

  /**
   * Equi-depth bounds, rounded so that no bound is an exact value of a row: numbers and times to a
   * thousandth of the column's span (a power of ten), strings to their first three characters.
   */
  private double[] bounds(int i, Line line) {
    double lo = line.min();
    double hi = line.max();
    double[] ranks = new double[BUCKETS + 1];
    for (int b = 0; b <= BUCKETS; b++) {
      ranks[b] = (double) b / BUCKETS;
    }
    double[] q = line.quantiles(ranks);
    double grid;
    if (kinds[i] == Values.Kind.STRING) {
      grid = 65536;
    } else {
      double span = hi - lo;
      grid = span <= 0 ? 1 : Math.pow(10, Math.floor(Math.log10(span / 1000)));
    }
    List<Double> out = new ArrayList<>();
    out.add(Math.floor(lo / grid) * grid);
    for (int b = 1; b < BUCKETS; b++) {
      double v = Math.floor(q[b] / grid) * grid;
      if (v > out.get(out.size() - 1)) {
        out.add(v);
      }
    }
    double top = (Math.floor(hi / grid) + 1) * grid;
    if (top > out.get(out.size() - 1)) {
      out.add(top);
    }
    if (out.size() < 2) {
      out.add(out.get(0) + grid);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private double[] bucketRows(
      int i,
      Line line,
      double[] bounds,
      Object[] common,
      long[] counts,
      long nonNull,
      String prefix) {
    int buckets = bounds.length - 1;
    double[] out = new double[buckets];
    double previous = 0;
    for (int b = 0; b < buckets; b++) {
      double rank = b == buckets - 1 ? 1 : line.rank(bounds[b + 1]);
      out[b] = Math.max(0, rank - previous) * nonNull;
      previous = Math.max(previous, rank);
    }
    ColumnProfile probe =
        new ColumnProfile(
            names[i], kinds[i], 0, 0, 0, false, common, counts, bounds, out, new byte[0], prefix);
    double commonRows = 0;
    for (int k = 0; k < common.length; k++) {
      int b = probe.bucket(probe.position(common[k]));
      out[b] = Math.max(0, out[b] - counts[k]);
      commonRows += counts[k];
    }
    double other = Math.max(0, nonNull - commonRows);
    double sum = Arrays.stream(out).sum();
    for (int b = 0; b < buckets; b++) {
      out[b] = sum > 0 ? out[b] * other / sum : other / buckets;
    }
    return out;
  }
}
