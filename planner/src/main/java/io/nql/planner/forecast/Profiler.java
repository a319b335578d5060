package io.nql.planner.forecast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.apache.datasketches.theta.SetOperation;
import org.apache.datasketches.theta.Union;

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
  static final int MAX_COMMON = 400;

  /** A common value is shared by at least this many rows (and 1/5,000 of the non-null rows). */
  static final long MIN_COMMON_ROWS = 20;

  /** The fewest rows a common value of a column with {@code nonNull} non-null rows has. */
  static long leastCommonRows(long nonNull) {
    return Math.max(MIN_COMMON_ROWS, nonNull / 5000);
  }

  /** Histogram buckets per column. */
  static final int BUCKETS = 64;

  private static final int THETA_ENTRIES = 4096;
  private static final int FREQUENT_MAP = 8192;

  /** KLL's accuracy parameter: a normalized rank error of about 0.7 %. */
  private static final int KLL_K = 400;

  private static final long FINGERPRINT_SALT = 0x5DEECE66DL;

  final String[] names;
  final Values.Kind[] kinds;
  final long[] nulls;
  final Union[] thetas;
  final ItemsSketch<String>[] frequent;
  final KllDoublesSketch[] quantiles;
  final boolean[] strings;
  final String[] minString;
  final String[] maxString;
  final double[] min;
  final double[] max;
  final TreeMap<Long, Sampled> sample = new TreeMap<>();
  long rows;
  long fingerprint;

  static final class Sampled {
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
  public Profiler(List<String> names, List<SqlTypeName> types) {
    this(names.toArray(new String[0]), kinds(types));
  }

  private static Values.Kind[] kinds(List<SqlTypeName> types) {
    Values.Kind[] out = new Values.Kind[types.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Values.Kind.of(types.get(i));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  Profiler(String[] names, Values.Kind[] kinds) {
    int n = names.length;
    this.names = names;
    this.kinds = kinds;
    nulls = new long[n];
    thetas = new Union[n];
    frequent = new ItemsSketch[n];
    quantiles = new KllDoublesSketch[n];
    strings = new boolean[n];
    minString = new String[n];
    maxString = new String[n];
    min = new double[n];
    max = new double[n];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < n; i++) {
      thetas[i] = SetOperation.builder().setNominalEntries(THETA_ENTRIES).buildUnion();
      frequent[i] = new ItemsSketch<>(FREQUENT_MAP);
      if (this.kinds[i] == Values.Kind.STRING) {
        strings[i] = true;
      } else if (this.kinds[i].ordered()) {
        quantiles[i] = KllDoublesSketch.newHeapInstance(KLL_K);
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
      frequent[i].update(key(v));
      if (v instanceof String str && strings[i]) {
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
      sample.put(h, new Sampled(truncated(canonical)));
    } else if (h < sample.lastKey()) {
      sample.pollLastEntry();
      sample.put(h, new Sampled(truncated(canonical)));
    }
  }

  /** Characters of a string a sampled row keeps (its code needs no more; the state stays small). */
  private static final int SAMPLED_CHARS = 64;

  private static Object[] truncated(Object[] values) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] instanceof String s && s.length() > SAMPLED_CHARS) {
        values[i] = s.substring(0, SAMPLED_CHARS);
      }
    }
    return values;
  }

  /**
   * Ranks of the histogram bounds: equi-depth, plus finer bounds in both tails, where a skewed
   * column's few extreme values would otherwise spread over one wide bucket.
   */
  private static final double[] RANKS = ranks();

  private static double[] ranks() {
    java.util.TreeSet<Double> r = new java.util.TreeSet<>();
    for (int b = 0; b <= BUCKETS; b++) {
      r.add((double) b / BUCKETS);
    }
    for (double t : new double[] {0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01}) {
      r.add(t);
      r.add(1 - t);
    }
    return r.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** A value in statistics form as the key of the frequent-items sketch. */
  private static String key(Object v) {
    return v.toString();
  }

  /** The value of a frequent-items key of a column of this kind. */
  private static Object value(Values.Kind kind, String key) {
    return switch (kind) {
      case NUMBER, TIME -> Double.parseDouble(key);
      case BOOLEAN -> Boolean.parseBoolean(key);
      default -> key;
    };
  }

  private static Object other(Object v) {
    if (v == null) {
      return null;
    }
    return v instanceof byte[] b ? Arrays.toString(b) : v.toString();
  }

  /** Whether {@code other} counts rows of the same columns (names and kinds). */
  public boolean sameColumns(Profiler other) {
    return Arrays.equals(names, other.names) && Arrays.equals(kinds, other.kinds);
  }

  /**
   * Adds the rows {@code other} counted (of the same columns): the result is what one profiler
   * given both profilers' rows would hold (sketches merge; the sample keeps the rows with the
   * smallest hashes of both).
   */
  public void merge(Profiler other) {
    if (!sameColumns(other)) {
      throw new IllegalArgumentException("profiles of different columns");
    }
    rows += other.rows;
    fingerprint += other.fingerprint;
    for (int i = 0; i < names.length; i++) {
      nulls[i] += other.nulls[i];
      thetas[i].union(other.thetas[i].getResult());
      frequent[i].merge(other.frequent[i]);
      if (quantiles[i] != null && !other.quantiles[i].isEmpty()) {
        quantiles[i].merge(other.quantiles[i]);
      }
      min[i] = Math.min(min[i], other.min[i]);
      max[i] = Math.max(max[i], other.max[i]);
      if (other.minString[i] != null
          && (minString[i] == null || other.minString[i].compareTo(minString[i]) < 0)) {
        minString[i] = other.minString[i];
      }
      if (other.maxString[i] != null
          && (maxString[i] == null || other.maxString[i].compareTo(maxString[i]) > 0)) {
        maxString[i] = other.maxString[i];
      }
    }
    for (Map.Entry<Long, Sampled> e : other.sample.entrySet()) {
      Sampled same = sample.get(e.getKey());
      if (same != null) {
        same.weight += e.getValue().weight;
      } else if (sample.size() < SAMPLE_ROWS || e.getKey() < sample.lastKey()) {
        Sampled copy = new Sampled(e.getValue().values);
        copy.weight = e.getValue().weight;
        sample.put(e.getKey(), copy);
        if (sample.size() > SAMPLE_ROWS) {
          sample.pollLastEntry();
        }
      }
    }
  }

  /** What this profiler holds, to be stored and later merged with the rows of a later write. */
  public byte[] state() {
    return ProfilerState.write(this);
  }

  /** A profiler holding a stored {@link #state()}. */
  public static Profiler fromState(byte[] state) {
    return ProfilerState.read(state);
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
    double ndv = thetas[i].getResult().getEstimate();
    ItemsSketch<String> f = frequent[i];
    ItemsSketch.Row<String>[] items = f.getFrequentItems(0, ErrorType.NO_FALSE_NEGATIVES);
    boolean complete = f.getMaximumError() == 0 && items.length <= SMALL_DISTINCT;
    List<ItemsSketch.Row<String>> common = new ArrayList<>();
    if (complete) {
      common.addAll(Arrays.asList(items));
    } else {
      long least = leastCommonRows(nonNull);
      for (ItemsSketch.Row<String> row : items) {
        // the sketch's counts are within its error of the truth: a value whose estimate reaches
        // the threshold, and whose lower bound half of it, is common
        if (row.getEstimate() >= least && row.getLowerBound() >= least / 2) {
          common.add(row);
        }
      }
    }
    common.sort(
        Comparator.comparingLong((ItemsSketch.Row<String> row) -> row.getEstimate())
            .reversed()
            .thenComparing(ItemsSketch.Row::getItem));
    if (common.size() > MAX_COMMON) {
      common = common.subList(0, MAX_COMMON);
    }
    Object[] values = new Object[common.size()];
    long[] counts = new long[common.size()];
    for (int k = 0; k < values.length; k++) {
      values[k] = value(kinds[i], common.get(k).getItem());
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
        thetas[i].getResult().toByteArray(),
        prefix,
        rankError(i));
  }

  /** The rank error of column {@code i}'s histogram (0 where it is exact). */
  private double rankError(int i) {
    if (quantiles[i] != null) {
      return quantiles[i].isEstimationMode() ? quantiles[i].getNormalizedRankError(false) : 0;
    }
    if (strings[i]) {
      long sampled = 0;
      for (Sampled r : sample.values()) {
        sampled += r.weight;
      }
      // string quantiles come from the sample: exact when it holds every row
      return sampled >= rows ? 0 : 1 / Math.sqrt(Math.max(1, sample.size()));
    }
    return 0;
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
    if (strings[i] && minString[i] != null) {
      // Quantiles of strings come from the sample (a uniform sample of the rows: its rank error,
      // about 1/sqrt(sample rows), is that of a quantile sketch, without comparing every string).
      TreeMap<String, Long> weights = new TreeMap<>();
      long total = 0;
      for (Sampled r : sample.values()) {
        if (r.values[i] instanceof String str) {
          weights.merge(str, r.weight, Long::sum);
          total += r.weight;
        }
      }
      String[] keys = weights.keySet().toArray(new String[0]);
      double[] cumulative = new double[keys.length];
      double sum = 0;
      for (int j = 0; j < keys.length; j++) {
        sum += weights.get(keys[j]);
        cumulative[j] = sum / Math.max(1, total);
      }
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
          double[] out = new double[ranks.length];
          for (int j = 0; j < ranks.length; j++) {
            int at = Arrays.binarySearch(cumulative, ranks[j]);
            int k = Math.min(keys.length - 1, at >= 0 ? at : -at - 1);
            out[j] = Values.stringPosition(keys[k], prefix);
          }
          return out;
        }

        @Override
        public double rank(double position) {
          String bound = Values.fromPosition(prefix, position);
          int at = Arrays.binarySearch(keys, bound);
          int below = at >= 0 ? at : -at - 1;
          return below == 0 ? 0 : cumulative[below - 1];
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
    double[] q = line.quantiles(RANKS);
    double grid;
    if (kinds[i] == Values.Kind.STRING) {
      grid = 65536;
    } else {
      double span = hi - lo;
      grid = span <= 0 ? 1 : Math.pow(10, Math.floor(Math.log10(span / 1000)));
    }
    List<Double> out = new ArrayList<>();
    out.add(Math.floor(lo / grid) * grid);
    for (int b = 1; b < q.length - 1; b++) {
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
            names[i],
            kinds[i],
            0,
            0,
            0,
            false,
            common,
            counts,
            bounds,
            out,
            new byte[0],
            prefix,
            0);
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
