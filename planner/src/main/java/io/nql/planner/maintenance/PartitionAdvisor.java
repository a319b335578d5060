package io.nql.planner.maintenance;

import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.StructLikeWrapper;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The partition-spec half of the {@link Advisor}: from the same observed filters, one partition
 * field to add to a dataset's spec — {@code day(c)} or {@code month(c)} of a {@code DATE} or {@code
 * TIMESTAMP} column filtered by ranges, or {@code identity(c)} of a low-cardinality column filtered
 * by {@code =} / {@code IN}.
 *
 * <p><b>Partitions and their bound.</b> A temporal column's partitions are counted as the days (or
 * months) from its smallest to its largest value in the file bounds — an upper bound: days without
 * rows make no partition. An identity column's are its distinct values, from the dataset's stored
 * statistics (the profile computed after each write and by {@code ANALYZE}; no statistics, no
 * identity proposal). A field is proposed only when the dataset's partitions after it (its present
 * partitions times the new field's) are at least 2 and at most {@link #maxPartitions}: {@value
 * #MAX_PARTITIONS}, and no more than the dataset's files now or one per {@value #MIN_PARTITION_MB}
 * MB of its bytes, whichever is larger — so a rewrite into the spec never leaves more (or smaller)
 * files than a dataset of that size needs. {@code day} is preferred to {@code month} when it fits.
 * A column the spec already partitions by (with any transform) gets no proposal.
 *
 * <p><b>The estimate, per observed statement filtering the column.</b> <em>Now</em>: the files
 * Iceberg plans for its filters on the column (as for a sort order). <em>After</em>: the rows are
 * taken to be spread evenly over the {@code P} partitions, each of {@code bytes / P} bytes written
 * as {@code ⌈bytes / P / target⌉} files; a statement reads the partitions its filters touch — for a
 * range, those its bounds overlap (a bound {@code <} counts as {@code <=}); for {@code =} / {@code
 * IN} of k values, at most k — so it plans {@code touched · ⌈bytes / P / target⌉} files and reads
 * {@code touched · bytes / P} bytes.
 */
final class PartitionAdvisor {
  /** The most partitions a proposal may leave a dataset with. */
  static final int MAX_PARTITIONS = 1000;

  /** A partition of fewer bytes than this (in MB) is small: see the class comment. */
  static final long MIN_PARTITION_MB = 16;

  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private PartitionAdvisor() {}

  /**
   * The partition field to propose for {@code table}, if any.
   *
   * @param ndv distinct values per column (lower-case name) from the dataset's statistics
   */
  static Optional<Advisor.Recommendation> advise(
      Table table,
      List<List<QueryPredicates.Predicate>> statements,
      Map<String, Double> ndv,
      List<DataFile> files,
      long targetFileSize) {
    long bytes = files.stream().mapToLong(DataFile::fileSizeInBytes).sum();
    long bound = maxPartitions(files.size(), bytes) / Math.max(1, partitions(table, files));
    Set<Integer> partitioned = new HashSet<>();
    for (PartitionField f : table.spec().fields()) {
      partitioned.add(f.sourceId());
    }
    Advisor.Recommendation best = null;
    for (Types.NestedField field : table.schema().columns()) {
      if (partitioned.contains(field.fieldId())) {
        continue; // already partitioned by it
      }
      String key = field.name().toLowerCase(Locale.ROOT);
      Advisor.Recommendation r = null;
      if (temporal(field)) {
        long[] days = days(field, files);
        if (days != null) {
          long dayCount = days[1] - days[0] + 1;
          long monthCount = month(days[1]) - month(days[0]) + 1;
          boolean byDay = dayCount <= bound;
          long p = byDay ? dayCount : monthCount;
          if (p >= 2 && p <= bound) {
            r = estimate(table, field, key, statements, files, bytes, targetFileSize, p, byDay);
          }
        }
      } else if (Advisor.candidate(field)) {
        Double distinct = ndv.get(key);
        long p = distinct == null ? 0 : Math.round(distinct);
        if (p >= 2 && p <= bound && anyPoints(statements, key)) {
          r = estimate(table, field, key, statements, files, bytes, targetFileSize, p, false);
        }
      }
      if (r != null && r.filesPruned() > 0 && Advisor.better(r, best)) {
        best = r;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The most partitions a dataset of {@code files} files and {@code bytes} bytes may have. */
  static long maxPartitions(int files, long bytes) {
    long bySize = (bytes + (MIN_PARTITION_MB << 20) - 1) / (MIN_PARTITION_MB << 20);
    return Math.min(MAX_PARTITIONS, Math.max(files, bySize));
  }

  /** The distinct partitions of the files now (1 when unpartitioned). */
  private static long partitions(Table table, List<DataFile> files) {
    Set<Object> out = new HashSet<>();
    for (DataFile f : files) {
      out.add(
          List.of(
              f.specId(),
              StructLikeWrapper.forType(table.specs().get(f.specId()).partitionType())
                  .set(f.partition())));
    }
    return Math.max(1, out.size());
  }

  private static boolean temporal(Types.NestedField field) {
    Type.TypeID t = field.type().typeId();
    return t == Type.TypeID.DATE || t == Type.TypeID.TIMESTAMP;
  }

  private static boolean anyPoints(List<List<QueryPredicates.Predicate>> statements, String key) {
    return statements.stream()
        .flatMap(List::stream)
        .anyMatch(p -> p.column().equals(key) && !p.points().isEmpty());
  }

  private static Advisor.@Nullable Recommendation estimate(
      Table table,
      Types.NestedField field,
      String key,
      List<List<QueryPredicates.Predicate>> statements,
      List<DataFile> files,
      long bytes,
      long target,
      long partitions,
      boolean byDay) {
    boolean time = temporal(field);
    long[] days = time ? days(field, files) : null;
    double[] range = time ? null : Advisor.range(field, files);
    double partitionBytes = (double) bytes / partitions;
    double filesPerPartition = Math.max(1, Math.ceil(partitionBytes / target));
    long queries = 0;
    double now = 0;
    double later = 0;
    double saved = 0;
    for (List<QueryPredicates.Predicate> s : statements) {
      Expression filter = Expressions.alwaysTrue();
      double touched = partitions;
      boolean any = false;
      Long lo = null; // a temporal column's range over the statement's filters, in days
      Long hi = null;
      for (QueryPredicates.Predicate p : s) {
        if (!p.column().equals(key)) {
          continue;
        }
        Expression e = time ? temporalExpression(field, p) : Advisor.expression(field, p);
        if (e == null) {
          continue;
        }
        any = true;
        filter = Expressions.and(filter, e);
        if (days != null && p.points().isEmpty()) {
          lo = p.low() == null ? lo : max(lo, day(p.low()));
          hi = p.high() == null ? hi : min(hi, day(p.high()));
        } else {
          touched = Math.min(touched, touched(p, range, partitions));
        }
      }
      if (days != null && (lo != null || hi != null)) {
        touched = Math.min(touched, days(days, lo, hi, partitions, byDay));
      }
      if (!any) {
        continue;
      }
      queries++;
      List<DataFile> planned = Advisor.files(table, filter);
      now += planned.size();
      later += touched * filesPerPartition;
      saved +=
          planned.stream().mapToLong(DataFile::fileSizeInBytes).sum() - touched * partitionBytes;
    }
    if (queries == 0) {
      return null;
    }
    String transform = time ? (byDay ? "day" : "month") : "identity";
    return new Advisor.Recommendation(
        Advisor.PARTITION_SPEC,
        field.name(),
        transform,
        queries,
        now / queries,
        later / queries,
        Math.max(0, (long) (saved / queries)));
  }

  /** The partitions a point or numeric range filter touches, of {@code partitions}. */
  private static double touched(
      QueryPredicates.Predicate p, double @Nullable [] range, long partitions) {
    if (!p.points().isEmpty()) {
      return Math.min(partitions, p.points().size());
    }
    double fraction = Advisor.fraction(range, p);
    return fraction <= 0 ? 0 : Math.min(partitions, Math.ceil(fraction * partitions));
  }

  /** The days or months of {@code [lo, hi]} (null: unbounded) within the column's days. */
  private static double days(
      long[] days, @Nullable Long lo, @Nullable Long hi, long partitions, boolean byDay) {
    long from = lo == null ? days[0] : Math.max(lo, days[0]);
    long to = hi == null ? days[1] : Math.min(hi, days[1]);
    if (to < from) {
      return 0;
    }
    return Math.min(partitions, byDay ? to - from + 1 : month(to) - month(from) + 1);
  }

  private static @Nullable Long max(@Nullable Long a, @Nullable Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
  }

  private static @Nullable Long min(@Nullable Long a, @Nullable Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
  }

  /** The filter of a predicate on a temporal column; null when a literal is not a time. */
  private static @Nullable Expression temporalExpression(
      Types.NestedField field, QueryPredicates.Predicate p) {
    String name = field.name();
    if (!p.points().isEmpty()) {
      List<Object> values = new ArrayList<>();
      for (Object v : p.points()) {
        Object c = internal(field, v);
        if (c == null) {
          return null;
        }
        values.add(c);
      }
      return Expressions.in(name, values);
    }
    Expression out = Expressions.alwaysTrue();
    if (p.low() != null) {
      Object lo = internal(field, p.low());
      if (lo == null) {
        return null;
      }
      out = Expressions.and(out, Expressions.greaterThanOrEqual(name, lo));
    }
    if (p.high() != null) {
      Object hi = internal(field, p.high());
      if (hi == null) {
        return null;
      }
      out = Expressions.and(out, Expressions.lessThanOrEqual(name, hi));
    }
    return out;
  }

  /**
   * A literal as the column's Iceberg value: days since 1970 (an int) for a date, microseconds (a
   * long) for a timestamp (one with a time zone read as UTC); null when it is not a date or time.
   */
  private static @Nullable Object internal(Types.NestedField field, Object v) {
    LocalDateTime t = time(v);
    if (t == null) {
      return null;
    }
    if (field.type().typeId() == Type.TypeID.DATE) {
      return (int) t.toLocalDate().toEpochDay();
    }
    long seconds = t.toEpochSecond(ZoneOffset.UTC);
    return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), t.getNano() / 1000);
  }

  /** A date, a timestamp or text holding one ({@code '2026-02-01'}); else null. */
  private static @Nullable LocalDateTime time(Object v) {
    if (v instanceof LocalDateTime t) {
      return t;
    }
    if (v instanceof LocalDate d) {
      return d.atStartOfDay();
    }
    if (v instanceof String s) {
      String text = s.trim().replace(' ', 'T');
      try {
        return text.length() <= 10
            ? LocalDate.parse(text).atStartOfDay()
            : LocalDateTime.parse(text);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return null;
  }

  /** The day (since 1970) of a literal for a temporal column, or null. */
  private static @Nullable Long day(Object v) {
    LocalDateTime t = time(v);
    return t == null ? null : t.toLocalDate().toEpochDay();
  }

  /** The smallest and largest day of a temporal column, from the files' bounds; else null. */
  private static long @Nullable [] days(Types.NestedField field, List<DataFile> files) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (DataFile f : files) {
      ByteBuffer lo = f.lowerBounds() == null ? null : f.lowerBounds().get(field.fieldId());
      ByteBuffer hi = f.upperBounds() == null ? null : f.upperBounds().get(field.fieldId());
      if (lo == null || hi == null) {
        return null;
      }
      min = Math.min(min, toDay(field, Conversions.fromByteBuffer(field.type(), lo)));
      max = Math.max(max, toDay(field, Conversions.fromByteBuffer(field.type(), hi)));
    }
    return files.isEmpty() ? null : new long[] {min, max};
  }

  private static long toDay(Types.NestedField field, Object internal) {
    long v = ((Number) internal).longValue();
    return field.type().typeId() == Type.TypeID.DATE ? v : Math.floorDiv(v, MICROS_PER_DAY);
  }

  /** Months since year 0 of a day since 1970. */
  private static long month(long day) {
    LocalDate d = LocalDate.ofEpochDay(day);
    return d.getYear() * 12L + d.getMonthValue() - 1;
  }
}
