package io.nql.planner.forecast;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Statistics of one column of a source's rows: null and non-null counts, distinct values (a theta
 * sketch), the most common values with their counts (all values, exactly, when there are few), and
 * an equi-depth histogram of the other values.
 *
 * <p>Nothing here pins a single row: the common values are those that many rows share (or all
 * values of a column with few distinct values), and histogram bounds are rounded to a thousandth of
 * the column's span (strings to their first three characters).
 *
 * @param name the column's name in the source
 * @param kind how its values are kept
 * @param nulls rows where it is null
 * @param nonNull rows where it is not null
 * @param ndv distinct non-null values (estimated)
 * @param complete whether {@code values} lists every distinct value, with exact counts
 * @param values the common values in statistics form, most common first
 * @param counts the rows of each common value
 * @param bounds histogram bounds (positions, ascending; one more than buckets), or empty
 * @param bucketRows rows per bucket that hold none of the common values
 * @param theta the compact theta sketch of the distinct values (Apache DataSketches format)
 * @param prefix for strings, the prefix every value shares (positions are of what follows it)
 * @param rankError how far (a share of the non-null rows) the rows between two histogram bounds may
 *     be from {@code bucketRows}: the quantile sketch's (or the sample's) rank error
 */
record ColumnProfile(
    String name,
    Values.Kind kind,
    long nulls,
    long nonNull,
    double ndv,
    boolean complete,
    Object[] values,
    long[] counts,
    double[] bounds,
    double[] bucketRows,
    byte[] theta,
    String prefix,
    double rankError) {

  /** The position of a value in statistics form on this column's histogram line. */
  double position(Object v) {
    return v instanceof String s ? Values.stringPosition(s, prefix) : Values.position(v);
  }

  /** The position after every string starting with {@code like}. */
  double afterPrefix(String like) {
    return Values.afterPrefix(like, prefix);
  }

  /** Buckets of the histogram. */
  int buckets() {
    return Math.max(0, bounds.length - 1);
  }

  /** The sample code of a value: 0 null, then common values, then buckets (or one "other"). */
  int code(@Nullable Object v) {
    if (v == null) {
      return 0;
    }
    int i = indexOf(v);
    if (i >= 0) {
      return 1 + i;
    }
    return 1 + values.length + (buckets() == 0 ? 0 : bucket(position(v)));
  }

  /** The index of a common value, or -1. */
  int indexOf(Object v) {
    for (int i = 0; i < values.length; i++) {
      if (values[i].equals(v)) {
        return i;
      }
    }
    return -1;
  }

  /** The bucket a position falls in (the first or last for positions outside the bounds). */
  int bucket(double position) {
    int b = buckets();
    int lo = 0;
    int hi = b - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (bounds[mid] <= position) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** Rows that hold none of the common values (and are not null). */
  double otherRows() {
    long common = 0;
    for (long c : counts) {
      common += c;
    }
    return Math.max(0, nonNull - common);
  }

  /** Distinct values other than the common ones. */
  double otherDistinct() {
    return Math.max(1, ndv - values.length);
  }

  static void writeValue(DataOutputStream out, Object v) throws IOException {
    if (v instanceof Double d) {
      out.writeByte(0);
      out.writeDouble(d);
    } else if (v instanceof Boolean b) {
      out.writeByte(2);
      out.writeBoolean(b);
    } else {
      byte[] utf8 = v.toString().getBytes(StandardCharsets.UTF_8);
      out.writeByte(1);
      out.writeInt(utf8.length);
      out.write(utf8);
    }
  }

  static Object readValue(DataInputStream in) throws IOException {
    return readValue(in, in.readByte());
  }

  static Object readValue(DataInputStream in, byte tag) throws IOException {
    return switch (tag) {
      case 0 -> in.readDouble();
      case 2 -> in.readBoolean();
      default -> {
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        yield new String(utf8, StandardCharsets.UTF_8);
      }
    };
  }
}
