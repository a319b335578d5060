package io.nql.planner.vector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.iceberg.Schema;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.And;
import org.apache.iceberg.expressions.Binder;
import org.apache.iceberg.expressions.BoundLiteralPredicate;
import org.apache.iceberg.expressions.BoundPredicate;
import org.apache.iceberg.expressions.BoundReference;
import org.apache.iceberg.expressions.BoundSetPredicate;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.Or;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The conjuncts of a scan's pushed filter that compare an integer column ({@code INT} or {@code
 * BIGINT}, stored as plain INT32 or INT64) with constants: {@code =}, {@code <}, {@code <=}, {@code
 * >}, {@code >=}, {@code IN} (or a disjunction of equalities on one column). They are tested on the
 * column's raw values, decoded first, so that a batch decodes the other columns only over the rows
 * from the first to the last row that passes (late materialization): a point lookup decodes one row
 * of each other column instead of a page.
 *
 * <p>Same one-sided contract as {@link ParquetRecordFilter}: the pushed filter is implied by the
 * filter above the scan, and a conjunct of it is implied by it, so the rows outside the span are
 * rows the query drops anyway; the rows inside are still filtered above the scan. Other conjuncts
 * (disjunctions, negations, other types) are simply not used. NULL passes no comparison.
 */
final class KeyFilter {
  /** One comparison of output column {@code column}'s raw value. */
  private record Test(
      int column, int slot, Expression.Operation op, long value, long @Nullable [] in) {
    Test at(int k) {
      return new Test(column, k, op, value, in);
    }

    boolean passes(long v) {
      return switch (op) {
        case EQ -> v == value;
        case LT -> v < value;
        case LT_EQ -> v <= value;
        case GT -> v > value;
        case GT_EQ -> v >= value;
        case IN -> Arrays.binarySearch(in, v) >= 0;
        default -> true;
      };
    }
  }

  private final Test[] tests;

  /** The output columns the tests read, each once. */
  private final int[] columns;

  private KeyFilter(Test[] tests, int[] columns) {
    this.tests = tests;
    this.columns = columns;
  }

  /** Output columns whose raw values {@link #span} reads, in its {@code raw} order. */
  int[] columns() {
    return columns;
  }

  /**
   * The key filter of a scan, or null when no conjunct qualifies.
   *
   * @param schema the schema the filter binds to (the table's)
   * @param filter the scan's pushed filter
   * @param fields the scan's output columns
   * @param columns per output column, the file column read (null for constants and missing ones)
   */
  static @Nullable KeyFilter of(
      Schema schema,
      @Nullable Expression filter,
      List<Types.NestedField> fields,
      List<RelDataType> types,
      ColumnDescriptor[] columns) {
    if (filter == null) {
      return null;
    }
    Expression bound;
    try {
      bound = Binder.bind(schema.asStruct(), Expressions.rewriteNot(filter), true);
    } catch (ValidationException | UnsupportedOperationException e) {
      return null;
    }
    List<Test> tests = new ArrayList<>();
    collect(bound, fields, types, columns, tests);
    if (tests.isEmpty()) {
      return null;
    }
    int[] used = tests.stream().mapToInt(Test::column).distinct().toArray();
    Test[] slotted = new Test[tests.size()];
    for (int i = 0; i < slotted.length; i++) {
      Test t = tests.get(i);
      int k = 0;
      while (used[k] != t.column()) {
        k++;
      }
      slotted[i] = t.at(k);
    }
    return new KeyFilter(slotted, used);
  }

  private static void collect(
      Expression e,
      List<Types.NestedField> fields,
      List<RelDataType> types,
      ColumnDescriptor[] columns,
      List<Test> out) {
    if (e instanceof And and) {
      collect(and.left(), fields, types, columns, out);
      collect(and.right(), fields, types, columns, out);
      return;
    }
    if (e instanceof Or) {
      // a disjunction of equalities on one column (the planner's form of a short IN list)
      Equalities any = equalities(e, fields, types, columns);
      if (any != null) {
        long[] in = any.values().stream().mapToLong(Long::longValue).sorted().toArray();
        out.add(new Test(any.column(), -1, Expression.Operation.IN, 0, in));
      }
      return;
    }
    if (!(e instanceof BoundPredicate<?> p) || !(p.term() instanceof BoundReference<?> ref)) {
      return;
    }
    int column = outputColumn(ref.fieldId(), fields, types, columns);
    if (column < 0) {
      return;
    }
    if (p instanceof BoundLiteralPredicate<?> lit) {
      Expression.Operation op = lit.op();
      Object v = lit.literal().value();
      if ((op == Expression.Operation.EQ
              || op == Expression.Operation.LT
              || op == Expression.Operation.LT_EQ
              || op == Expression.Operation.GT
              || op == Expression.Operation.GT_EQ)
          && (v instanceof Integer || v instanceof Long)) {
        out.add(new Test(column, -1, op, ((Number) v).longValue(), null));
      }
    } else if (p instanceof BoundSetPredicate<?> set && set.op() == Expression.Operation.IN) {
      Set<?> values = set.literalSet();
      long[] in = new long[values.size()];
      int i = 0;
      for (Object v : values) {
        if (!(v instanceof Integer || v instanceof Long)) {
          return;
        }
        in[i++] = ((Number) v).longValue();
      }
      Arrays.sort(in);
      out.add(new Test(column, -1, Expression.Operation.IN, 0, in));
    }
  }

  /** Values one column equals in one of the branches of a disjunction. */
  private record Equalities(int column, Set<Long> values) {}

  private static @Nullable Equalities equalities(
      Expression e,
      List<Types.NestedField> fields,
      List<RelDataType> types,
      ColumnDescriptor[] columns) {
    if (e instanceof Or or) {
      Equalities left = equalities(or.left(), fields, types, columns);
      Equalities right = equalities(or.right(), fields, types, columns);
      if (left == null || right == null || left.column() != right.column()) {
        return null;
      }
      Set<Long> values = new HashSet<>(left.values());
      values.addAll(right.values());
      return new Equalities(left.column(), values);
    }
    List<Test> one = new ArrayList<>();
    collect(e, fields, types, columns, one);
    if (one.size() != 1 || !(e instanceof BoundPredicate<?>)) {
      return null;
    }
    Test t = one.get(0);
    if (t.op() == Expression.Operation.EQ) {
      return new Equalities(t.column(), Set.of(t.value()));
    }
    if (t.op() == Expression.Operation.IN) {
      Set<Long> values = new HashSet<>();
      for (long v : t.in()) {
        values.add(v);
      }
      return new Equalities(t.column(), values);
    }
    return null;
  }

  /**
   * The output column that reads field {@code fieldId} from an integer column of the file into an
   * integer vector of its width (whose values the scan copies from the raw ones), or -1.
   */
  private static int outputColumn(
      int fieldId,
      List<Types.NestedField> fields,
      List<RelDataType> types,
      ColumnDescriptor[] columns) {
    for (int c = 0; c < fields.size(); c++) {
      Types.NestedField f = fields.get(c);
      if (f.fieldId() != fieldId || columns[c] == null) {
        continue;
      }
      Type t = f.type();
      PrimitiveTypeName physical = columns[c].getPrimitiveType().getPrimitiveTypeName();
      LogicalTypeAnnotation logical = columns[c].getPrimitiveType().getLogicalTypeAnnotation();
      boolean plainInteger =
          logical == null
              || (logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
                  && i.isSigned()
                  && i.getBitWidth() >= 32);
      if (plainInteger
          && columns[c].getMaxRepetitionLevel() == 0
          && ((t.typeId() == Type.TypeID.INTEGER
                  && physical == PrimitiveTypeName.INT32
                  && types.get(c).getSqlTypeName() == SqlTypeName.INTEGER)
              || (t.typeId() == Type.TypeID.LONG
                  && physical == PrimitiveTypeName.INT64
                  && types.get(c).getSqlTypeName() == SqlTypeName.BIGINT))) {
        return c;
      }
    }
    return -1;
  }

  /**
   * The rows {@code [first, last]} of a batch from the first to the last row that passes every
   * test, as {@code first << 32 | last}, or -1 when none passes.
   *
   * @param raw per {@link #columns()} entry, the column's raw values of the batch's rows
   * @param nulls per entry, which of them are NULL
   */
  long span(long[][] raw, boolean[][] nulls, int rows) {
    int first = -1;
    int last = -1;
    for (int r = 0; r < rows; r++) {
      if (passes(raw, nulls, r)) {
        if (first < 0) {
          first = r;
        }
        last = r;
      }
    }
    return first < 0 ? -1 : ((long) first << 32) | last;
  }

  private boolean passes(long[][] raw, boolean[][] nulls, int r) {
    for (Test t : tests) {
      if (nulls[t.slot()][r] || !t.passes(raw[t.slot()][r])) {
        return false;
      }
    }
    return true;
  }
}
