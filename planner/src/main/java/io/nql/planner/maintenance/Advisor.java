package io.nql.planner.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.SortField;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The layout advisor: from the filters the observed statements put on a dataset's columns ({@link
 * QueryPredicates}) and the dataset's file statistics (the column bounds in its manifests), the
 * column whose sort order would let those statements skip the most files — and the partition field
 * that would ({@link PartitionAdvisor}, whose model its class comment states).
 *
 * <p><b>The estimate, per observed statement with filters on a candidate column {@code c}.</b>
 * <em>Now</em>: the files Iceberg plans for the statement's filters on {@code c} at the current
 * snapshot (files whose bounds of {@code c} overlap them) and their bytes. <em>After</em> a rewrite
 * sorted by {@code c} into files of the target size: the dataset's bytes make {@code F = ⌈bytes /
 * target⌉} files, each holding an equal slice of {@code c}'s range (the dataset's smallest to
 * largest value, from the bounds); a range filter keeping the fraction {@code s} of that range
 * reads {@code ⌈s·F⌉} files, one value ({@code =}) one file, {@code IN} of k values at most k
 * files; each such file is {@code bytes / F} bytes. The files pruned and bytes saved are now minus
 * after, averaged over the statements. A column is proposed when that saves files; the one saving
 * the most (then: filtered by the most statements) wins. Only integer and text columns are
 * candidates, and a range on text counts as the whole range (no slice of text is estimated).
 */
public final class Advisor {
  private Advisor() {}

  /** The {@link Recommendation#kind} of a sort order. */
  public static final String SORT_ORDER = "sort order";

  /** The {@link Recommendation#kind} of a partition field. */
  public static final String PARTITION_SPEC = "partition spec";

  /**
   * A proposed layout change.
   *
   * @param kind {@link #SORT_ORDER} or {@link #PARTITION_SPEC}
   * @param column the column to sort or partition by
   * @param transform for a partition field, {@code day}, {@code month} or {@code identity}; null
   *     for a sort order
   * @param queries observed statements that filter on the column
   * @param filesNow files those statements plan now, on average
   * @param filesAfter files they would plan after the rewrite, on average (estimated)
   * @param bytesSaved bytes each would read less, on average (estimated)
   */
  public record Recommendation(
      String kind,
      String column,
      @Nullable String transform,
      long queries,
      double filesNow,
      double filesAfter,
      long bytesSaved) {
    /** Files each observed statement would skip more, on average. */
    public double filesPruned() {
      return filesNow - filesAfter;
    }

    /** The columns as shown: {@code amount} for a sort order, {@code day(ts)} for a partition. */
    public String columns() {
      return transform == null ? column : transform + "(" + column + ")";
    }
  }

  /**
   * The layout changes to propose for {@code table}: a partition field ({@link PartitionAdvisor})
   * first, if any, then a sort order, if any, on another column than the partition's.
   *
   * @param statements per observed statement that filters the dataset, its filters on the dataset's
   *     columns (names as {@link QueryPredicates} gives them)
   * @param ndv distinct values per column (lower-case name) from the dataset's stored statistics;
   *     empty when it has none
   * @param targetFileSize the size of the files a rewrite writes
   */
  public static List<Recommendation> advise(
      Table table,
      List<List<QueryPredicates.Predicate>> statements,
      Map<String, Double> ndv,
      long targetFileSize) {
    if (table.currentSnapshot() == null || statements.isEmpty()) {
      return List.of();
    }
    List<DataFile> files = files(table, Expressions.alwaysTrue());
    List<Recommendation> out = new ArrayList<>();
    Optional<Recommendation> partition =
        PartitionAdvisor.advise(table, statements, ndv, files, targetFileSize);
    partition.ifPresent(out::add);
    sortOrder(table, statements, files, targetFileSize)
        .filter(s -> partition.isEmpty() || !partition.get().column().equals(s.column()))
        .ifPresent(out::add);
    return out;
  }

  /** Whether a column's type is one a sort order or an identity partition is proposed for. */
  static boolean candidate(Types.NestedField f) {
    Type.TypeID t = f.type().typeId();
    return t == Type.TypeID.INTEGER || t == Type.TypeID.LONG || t == Type.TypeID.STRING;
  }

  /** Whether {@code r} prunes more files over the statements than {@code best} (ties: queries). */
  static boolean better(Recommendation r, @Nullable Recommendation best) {
    return best == null
        || r.filesPruned() * r.queries() > best.filesPruned() * best.queries()
        || (r.filesPruned() * r.queries() == best.filesPruned() * best.queries()
            && r.queries() > best.queries());
  }

  private static Optional<Recommendation> sortOrder(
      Table table,
      List<List<QueryPredicates.Predicate>> statements,
      List<DataFile> files,
      long targetFileSize) {
    long bytes = files.stream().mapToLong(DataFile::fileSizeInBytes).sum();
    long after = Math.max(1, (bytes + targetFileSize - 1) / targetFileSize);
    Recommendation best = null;
    for (Types.NestedField field : table.schema().columns()) {
      if (!candidate(field) || leads(table, field) || identityPartition(table, field)) {
        continue; // not a candidate, already sorted by it, or one value per file already
      }
      String key = field.name().toLowerCase(Locale.ROOT);
      Recommendation r = estimate(table, field, key, statements, files, bytes, after);
      if (r != null && r.filesPruned() > 0 && better(r, best)) {
        best = r;
      }
    }
    return Optional.ofNullable(best);
  }

  private static boolean identityPartition(Table table, Types.NestedField field) {
    return table.spec().fields().stream()
        .anyMatch(f -> f.sourceId() == field.fieldId() && f.transform().isIdentity());
  }

  private static boolean leads(Table table, Types.NestedField field) {
    List<SortField> fields = table.sortOrder().fields();
    return !fields.isEmpty() && fields.get(0).sourceId() == field.fieldId();
  }

  private static @Nullable Recommendation estimate(
      Table table,
      Types.NestedField field,
      String key,
      List<List<QueryPredicates.Predicate>> statements,
      List<DataFile> all,
      long bytes,
      long after) {
    double[] range = range(field, all);
    long queries = 0;
    double now = 0;
    double later = 0;
    double saved = 0;
    for (List<QueryPredicates.Predicate> s : statements) {
      Expression filter = Expressions.alwaysTrue();
      double fraction = 1;
      int points = -1;
      boolean any = false;
      for (QueryPredicates.Predicate p : s) {
        if (!p.column().equals(key)) {
          continue;
        }
        Expression e = expression(field, p);
        if (e == null) {
          continue;
        }
        any = true;
        filter = Expressions.and(filter, e);
        if (!p.points().isEmpty()) {
          points = points < 0 ? p.points().size() : Math.min(points, p.points().size());
        } else {
          fraction = Math.min(fraction, fraction(range, p));
        }
      }
      if (!any) {
        continue;
      }
      queries++;
      List<DataFile> planned = files(table, filter);
      long plannedBytes = planned.stream().mapToLong(DataFile::fileSizeInBytes).sum();
      double afterFiles =
          points >= 0
              ? Math.min(points, after)
              : fraction <= 0 ? 0 : Math.min(after, Math.ceil(fraction * after));
      now += planned.size();
      later += afterFiles;
      saved += plannedBytes - afterFiles * ((double) bytes / after);
    }
    if (queries == 0) {
      return null;
    }
    return new Recommendation(
        SORT_ORDER,
        field.name(),
        null,
        queries,
        now / queries,
        later / queries,
        Math.max(0, (long) (saved / queries)));
  }

  /** The fraction of a column's range a range filter keeps (1 when not estimated). */
  static double fraction(double @Nullable [] range, QueryPredicates.Predicate p) {
    if (range == null
        || !(p.low() == null || p.low() instanceof BigDecimal)
        || !(p.high() == null || p.high() instanceof BigDecimal)) {
      return 1;
    }
    double min = range[0];
    double max = range[1];
    double lo = p.low() == null ? min : Math.max(min, ((BigDecimal) p.low()).doubleValue());
    double hi = p.high() == null ? max : Math.min(max, ((BigDecimal) p.high()).doubleValue());
    if (hi < lo) {
      return 0;
    }
    return Math.min(1, (hi - lo + 1) / (max - min + 1));
  }

  /** The smallest and largest value of an integer column, from the files' bounds; else null. */
  static double @Nullable [] range(Types.NestedField field, List<DataFile> files) {
    if (field.type().typeId() == Type.TypeID.STRING) {
      return null;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (DataFile f : files) {
      ByteBuffer lo = f.lowerBounds() == null ? null : f.lowerBounds().get(field.fieldId());
      ByteBuffer hi = f.upperBounds() == null ? null : f.upperBounds().get(field.fieldId());
      if (lo == null || hi == null) {
        return null;
      }
      min = Math.min(min, ((Number) Conversions.fromByteBuffer(field.type(), lo)).doubleValue());
      max = Math.max(max, ((Number) Conversions.fromByteBuffer(field.type(), hi)).doubleValue());
    }
    return files.isEmpty() ? null : new double[] {min, max};
  }

  /** The Iceberg filter of a predicate on a column of its type; null when it does not fit. */
  static @Nullable Expression expression(Types.NestedField field, QueryPredicates.Predicate p) {
    String name = field.name();
    Expression out = Expressions.alwaysTrue();
    try {
      if (!p.points().isEmpty()) {
        List<Object> values = new ArrayList<>();
        for (Object v : p.points()) {
          values.add(converted(field, v));
        }
        return Expressions.in(name, values);
      }
      if (p.low() != null) {
        out = Expressions.and(out, Expressions.greaterThanOrEqual(name, converted(field, p.low())));
      }
      if (p.high() != null) {
        out = Expressions.and(out, Expressions.lessThanOrEqual(name, converted(field, p.high())));
      }
      return out;
    } catch (ArithmeticException | IllegalArgumentException | ClassCastException e) {
      return null; // a literal of another type: not a filter this column serves
    }
  }

  private static Object converted(Types.NestedField field, Object v) {
    return switch (field.type().typeId()) {
      case INTEGER -> ((BigDecimal) v).intValueExact();
      case LONG -> ((BigDecimal) v).longValueExact();
      default -> {
        if (!(v instanceof String s)) {
          throw new IllegalArgumentException("not text");
        }
        yield s;
      }
    };
  }

  static List<DataFile> files(Table table, Expression filter) {
    List<DataFile> out = new ArrayList<>();
    // with the files' column bounds: the estimate reads the ranges of the columns from them
    try (CloseableIterable<FileScanTask> tasks =
        table.newScan().filter(filter).includeColumnStats().planFiles()) {
      for (FileScanTask t : tasks) {
        out.add(t.file());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
