package io.nql.planner.vector;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * The conjuncts of a scan's pushed filter that compare a column with constants, tested on the
 * column's values as decoded, before the other columns are: an integer column ({@code INT} or
 * {@code BIGINT}, stored as plain INT32 or INT64) with {@code =}, {@code <>}, {@code <}, {@code
 * <=}, {@code >}, {@code >=}, {@code IN}, {@code NOT IN} (or a disjunction of equalities on one
 * column); a string column ({@code VARCHAR}) with {@code =}, {@code <>}, {@code IN}, {@code NOT IN}
 * or such a disjunction, tested on the bytes where they lie and, for dictionary-encoded rows, once
 * per dictionary entry. A batch then decodes the other columns only for the rows that pass (late
 * materialization): a point lookup decodes one row of each other column instead of a page, and a
 * rule's filter on a dictionary-encoded column costs a table lookup per row.
 *
 * <p>Same one-sided contract as {@link ParquetRecordFilter}: the pushed filter is implied by the
 * filter above the scan, and a conjunct of it is implied by it, so the rows a test fails are rows
 * the query drops anyway; the rows that pass are still filtered above the scan. Other conjuncts
 * (disjunctions of other shapes, other types and operators) are simply not used. A NULL fails every
 * comparison except {@code <>} and {@code NOT IN}, which it passes as in Iceberg's evaluator (the
 * looser reading; SQL never keeps such a row either).
 */
final class KeyFilter {
  /** One comparison of output column {@code column}'s values with constants. */
  private static final class Test {
    final int column;
    int slot;
    final Expression.Operation op;

    /** Integer tests: the constant, or the sorted constants of IN and NOT IN. */
    final long value;

    final long @Nullable [] in;

    /** String tests: the constants' UTF-8 bytes. */
    final byte @Nullable [][] strings;

    private @Nullable Set<ByteBuffer> stringSet;

    /** The dictionary whose entries {@link #entries} holds the outcome of. */
    private int @Nullable [] entriesOf;

    private boolean[] entries = new boolean[0];

    Test(int column, Expression.Operation op, long value, long @Nullable [] in) {
      this.column = column;
      this.op = op;
      this.value = value;
      this.in = in;
      this.strings = null;
    }

    Test(int column, Expression.Operation op, byte[][] strings) {
      this.column = column;
      this.op = op;
      this.value = 0;
      this.in = null;
      this.strings = strings;
    }

    boolean binary() {
      return strings != null;
    }

    /** Whether a NULL passes: only {@code <>} and {@code NOT IN}. */
    boolean nullPasses() {
      return op == Expression.Operation.NOT_EQ || op == Expression.Operation.NOT_IN;
    }

    /** The outcome for a string value's bytes {@code src[from..from+length)}. */
    boolean passes(byte[] src, int from, int length) {
      boolean member;
      if (strings.length <= 8) {
        member = false;
        for (byte[] s : strings) {
          if (Arrays.equals(src, from, from + length, s, 0, s.length)) {
            member = true;
            break;
          }
        }
      } else {
        if (stringSet == null) {
          stringSet = new HashSet<>();
          for (byte[] s : strings) {
            stringSet.add(ByteBuffer.wrap(s));
          }
        }
        member = stringSet.contains(ByteBuffer.wrap(src, from, length));
      }
      return member == (op == Expression.Operation.EQ || op == Expression.Operation.IN);
    }

    /** The outcome of every entry of a dictionary, computed once per dictionary. */
    boolean[] entries(byte[] bytes, int[] offsets) {
      if (entriesOf != offsets) {
        int n = offsets.length - 1;
        if (entries.length < n) {
          entries = new boolean[n];
        }
        for (int i = 0; i < n; i++) {
          entries[i] = passes(bytes, offsets[i], offsets[i + 1] - offsets[i]);
        }
        entriesOf = offsets;
      }
      return entries;
    }
  }

  private final Test[] tests;

  /** The output columns the tests read, each once. */
  private final int[] columns;

  /** Per {@link #columns} entry: whether it is a string column (read as {@link BinaryRefs}). */
  private final boolean[] binary;

  /** Scratch: which rows of the batch pass so far. */
  private boolean[] pass = new boolean[0];

  private KeyFilter(Test[] tests, int[] columns, boolean[] binary) {
    this.tests = tests;
    this.columns = columns;
    this.binary = binary;
  }

  /** Output columns whose values {@link #select} reads, in the order of its arguments. */
  int[] columns() {
    return columns;
  }

  /** Whether entry {@code k} of {@link #columns()} is a string column (else an integer one). */
  boolean binary(int k) {
    return binary[k];
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
    int[] used = tests.stream().mapToInt(t -> t.column).distinct().toArray();
    boolean[] binary = new boolean[used.length];
    for (Test t : tests) {
      int k = 0;
      while (used[k] != t.column) {
        k++;
      }
      t.slot = k;
      binary[k] = t.binary();
    }
    return new KeyFilter(tests.toArray(new Test[0]), used, binary);
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
        Test in = test(any.column(), Expression.Operation.IN, any.values());
        if (in != null && in.binary() == stringColumn(fields.get(any.column()))) {
          out.add(in);
        }
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
    Test t = null;
    if (p instanceof BoundLiteralPredicate<?> lit) {
      t = test(column, lit.op(), List.of(lit.literal().value()));
    } else if (p instanceof BoundSetPredicate<?> set) {
      t = test(column, set.op(), set.literalSet());
    }
    if (t != null && t.binary() == stringColumn(fields.get(column))) {
      out.add(t);
    }
  }

  private static boolean stringColumn(Types.NestedField field) {
    return field.type().typeId() == Type.TypeID.STRING;
  }

  /**
   * The test of {@code op} with these constants on output column {@code column}, or null when the
   * operator or the constants' type is not one a test handles.
   */
  private static @Nullable Test test(
      int column, Expression.Operation op, java.util.Collection<?> constants) {
    boolean strings = constants.stream().allMatch(v -> v instanceof CharSequence);
    boolean integers = constants.stream().allMatch(v -> v instanceof Integer || v instanceof Long);
    boolean set = op == Expression.Operation.IN || op == Expression.Operation.NOT_IN;
    if (constants.isEmpty() || (!strings && !integers) || (!set && constants.size() != 1)) {
      return null;
    }
    if (strings) {
      if (!set && op != Expression.Operation.EQ && op != Expression.Operation.NOT_EQ) {
        return null; // string order: left to the filter above
      }
      byte[][] bytes =
          constants.stream()
              .map(v -> v.toString().getBytes(StandardCharsets.UTF_8))
              .toArray(byte[][]::new);
      return new Test(column, op, bytes);
    }
    switch (op) {
      case EQ, NOT_EQ, LT, LT_EQ, GT, GT_EQ -> {
        return new Test(column, op, ((Number) constants.iterator().next()).longValue(), null);
      }
      case IN, NOT_IN -> {
        long[] in = constants.stream().mapToLong(v -> ((Number) v).longValue()).sorted().toArray();
        return new Test(column, op, 0, in);
      }
      default -> {
        return null;
      }
    }
  }

  /** Values (Longs or Strings) one column equals in one of the branches of a disjunction. */
  private record Equalities(int column, Set<Object> values) {}

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
      Set<Object> values = new HashSet<>(left.values());
      values.addAll(right.values());
      return new Equalities(left.column(), values);
    }
    if (!(e instanceof BoundPredicate<?> p) || !(p.term() instanceof BoundReference<?> ref)) {
      return null;
    }
    int column = outputColumn(ref.fieldId(), fields, types, columns);
    if (column < 0) {
      return null;
    }
    Set<Object> values = new HashSet<>();
    if (p instanceof BoundLiteralPredicate<?> lit && lit.op() == Expression.Operation.EQ) {
      values.add(constant(lit.literal().value()));
    } else if (p instanceof BoundSetPredicate<?> set && set.op() == Expression.Operation.IN) {
      for (Object v : set.literalSet()) {
        values.add(constant(v));
      }
    } else {
      return null;
    }
    return new Equalities(column, values);
  }

  /** A constant as the tests compare it: integers as Long, strings as String. */
  private static Object constant(Object v) {
    if (v instanceof Integer i) {
      return i.longValue();
    }
    return v instanceof CharSequence c ? c.toString() : v;
  }

  /**
   * The output column that reads field {@code fieldId} either from an integer column of the file
   * into an integer vector of its width (whose values the scan copies from the raw ones), or from a
   * string column into a VARCHAR vector; -1 for any other.
   */
  private static int outputColumn(
      int fieldId,
      List<Types.NestedField> fields,
      List<RelDataType> types,
      ColumnDescriptor[] columns) {
    for (int c = 0; c < fields.size(); c++) {
      Types.NestedField f = fields.get(c);
      if (f.fieldId() != fieldId || columns[c] == null || columns[c].getMaxRepetitionLevel() != 0) {
        continue;
      }
      Type t = f.type();
      PrimitiveTypeName physical = columns[c].getPrimitiveType().getPrimitiveTypeName();
      LogicalTypeAnnotation logical = columns[c].getPrimitiveType().getLogicalTypeAnnotation();
      SqlTypeName sql = types.get(c).getSqlTypeName();
      boolean plainInteger =
          logical == null
              || (logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
                  && i.isSigned()
                  && i.getBitWidth() >= 32);
      if (plainInteger
          && ((t.typeId() == Type.TypeID.INTEGER
                  && physical == PrimitiveTypeName.INT32
                  && sql == SqlTypeName.INTEGER)
              || (t.typeId() == Type.TypeID.LONG
                  && physical == PrimitiveTypeName.INT64
                  && sql == SqlTypeName.BIGINT))) {
        return c;
      }
      if (t.typeId() == Type.TypeID.STRING
          && physical == PrimitiveTypeName.BINARY
          && (logical == null
              || logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation)
          && sql == SqlTypeName.VARCHAR) {
        return c;
      }
    }
    return -1;
  }

  /**
   * The rows of a batch that pass every test, ascending, into {@code selection}.
   *
   * @param raw per {@link #columns()} entry of an integer column, its raw values of the batch
   * @param nulls per such entry, which of them are NULL
   * @param refs per entry of a string column, its values
   * @param selection room for {@code rows} row numbers
   * @return how many rows pass
   */
  int select(long[][] raw, boolean[][] nulls, BinaryRefs[] refs, int rows, int[] selection) {
    if (pass.length < rows) {
      pass = new boolean[Math.max(rows, 1024)];
    }
    boolean[] p = pass;
    Arrays.fill(p, 0, rows, true);
    for (Test t : tests) {
      if (t.binary()) {
        testStrings(t, refs[t.slot], rows, p);
      } else {
        testIntegers(t, raw[t.slot], nulls[t.slot], rows, p);
      }
    }
    int count = 0;
    for (int r = 0; r < rows; r++) {
      if (p[r]) {
        selection[count++] = r;
      }
    }
    return count;
  }

  private static void testIntegers(Test t, long[] v, boolean[] nulls, int rows, boolean[] p) {
    long c = t.value;
    switch (t.op) {
      case EQ -> {
        for (int r = 0; r < rows; r++) {
          p[r] &= v[r] == c & !nulls[r];
        }
      }
      case NOT_EQ -> {
        for (int r = 0; r < rows; r++) {
          p[r] &= v[r] != c | nulls[r];
        }
      }
      case LT -> {
        for (int r = 0; r < rows; r++) {
          p[r] &= v[r] < c & !nulls[r];
        }
      }
      case LT_EQ -> {
        for (int r = 0; r < rows; r++) {
          p[r] &= v[r] <= c & !nulls[r];
        }
      }
      case GT -> {
        for (int r = 0; r < rows; r++) {
          p[r] &= v[r] > c & !nulls[r];
        }
      }
      case GT_EQ -> {
        for (int r = 0; r < rows; r++) {
          p[r] &= v[r] >= c & !nulls[r];
        }
      }
      case IN, NOT_IN -> {
        boolean in = t.op == Expression.Operation.IN;
        long[] set = t.in;
        for (int r = 0; r < rows; r++) {
          if (p[r]) {
            p[r] = nulls[r] ? !in : (Arrays.binarySearch(set, v[r]) >= 0) == in;
          }
        }
      }
      default -> throw new IllegalStateException("no integer test " + t.op);
    }
  }

  private static void testStrings(Test t, BinaryRefs refs, int rows, boolean[] p) {
    boolean nullPasses = t.nullPasses();
    boolean[] entries =
        refs.dictOffsets == null ? null : t.entries(refs.dictBytes, refs.dictOffsets);
    int[] length = refs.length;
    int[] ids = refs.ids;
    int[] start = refs.start;
    int s = 0;
    for (int r = 0; r < rows; r++) {
      if (!p[r]) {
        continue;
      }
      int id = ids[r];
      if (id >= 0) {
        p[r] = entries[id];
      } else if (id == BinaryRefs.NULL) {
        p[r] = nullPasses;
      } else {
        while (r >= refs.sourceEnd(s)) {
          s++;
        }
        p[r] = t.passes(refs.source(s), start[r], length[r]);
      }
    }
  }
}
