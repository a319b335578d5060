package io.nql.planner.iceberg;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Util;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Binder;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Translates a Calcite filter over a scan's columns into an Iceberg {@link Expression} used for
 * scan planning (partition pruning, file skipping by column bounds) and Parquet row-group skipping
 * (statistics, dictionaries).
 *
 * <p>The contract is one-sided: every row for which the SQL predicate is TRUE satisfies the Iceberg
 * expression, so skipping what the expression rules out never drops a row of the result. The
 * expression may be wider: a conjunct that cannot be translated exactly is refused (left out), and
 * the caller keeps the whole filter above the scan, so rows are always checked by the engine.
 *
 * <p>{@code ?} parameters: a comparison of a column with a {@link RexDynamicParam} is translated
 * only when the statement runs ({@link #bind}), with the parameter's value. At planning time such
 * conjuncts are only recognised ({@link #split}). A comparison with a NULL value is never TRUE in
 * SQL and becomes {@code alwaysFalse}.
 *
 * <p>Values follow the reader ({@link IcebergTypes}): timestamps and times are compared at
 * millisecond precision above the scan (microseconds truncated), so a comparison with {@code t}
 * milliseconds covers the whole millisecond {@code [t*1000, t*1000+999]} microseconds. String
 * ranges are pushed only when the bound has no UTF-16 unit at or above U+D800, where Java's string
 * order (used above the scan) and Parquet's byte order (UTF-8, code points) agree. Floating-point
 * comparisons with NaN or zero are not pushed (signed zeros and NaN are ordered differently by the
 * engine and by column statistics).
 */
public final class IcebergFilterTranslator {
  private final List<Types.NestedField> fields;
  private final @Nullable RexBuilder
      rexBuilder; // null when binding: deferred conjuncts have no SEARCH
  private final @Nullable IntFunction<Object> parameters;

  /**
   * A translator for planning: comparisons with {@code ?} parameters are refused by {@link
   * #translate} and recognised by {@link #split}.
   *
   * @param fields the scan's output columns, in order: input reference {@code $i} is field i
   * @param rexBuilder used to expand {@code SEARCH} calls into comparisons
   */
  public IcebergFilterTranslator(List<Types.NestedField> fields, RexBuilder rexBuilder) {
    this(fields, rexBuilder, null);
  }

  private IcebergFilterTranslator(
      List<Types.NestedField> fields,
      @Nullable RexBuilder rexBuilder,
      @Nullable IntFunction<Object> parameters) {
    this.fields = fields;
    this.rexBuilder = rexBuilder;
    this.parameters = parameters;
  }

  /** The conjunction of the translatable conjuncts of {@code condition}, if any. */
  public Optional<Expression> translate(RexNode condition) {
    List<Expression> pushed = new ArrayList<>();
    for (RexNode conjunct : RexUtil.flattenAnd(List.of(condition))) {
      try {
        pushed.add(translateOrThrow(conjunct));
      } catch (UnsupportedOperationException refused) {
        // This conjunct stays above the scan only.
      }
    }
    return pushed.stream().reduce(Expressions::and);
  }

  /**
   * What of a filter can be pushed into a scan.
   *
   * @param fixed the translation of the conjuncts without parameters, if any
   * @param deferred conjuncts that compare columns with {@code ?} parameters ({@code SEARCH}
   *     expanded), to be {@linkplain #bind bound} when the statement runs
   */
  public record Split(Optional<Expression> fixed, List<RexNode> deferred) {
    /** Whether nothing can be pushed. */
    public boolean isEmpty() {
      return fixed.isEmpty() && deferred.isEmpty();
    }
  }

  /**
   * Splits a filter into the part translatable now (literals only) and the conjuncts that compare
   * columns with {@code ?} parameters, translatable once their values are known.
   */
  public Split split(RexNode condition) {
    List<Expression> fixed = new ArrayList<>();
    List<RexNode> deferred = new ArrayList<>();
    for (RexNode conjunct : RexUtil.flattenAnd(List.of(condition))) {
      if (containsParam(conjunct)) {
        RexNode expanded = RexUtil.expandSearch(rexBuilder, null, conjunct);
        if (pushableShape(expanded)) {
          deferred.add(expanded);
        }
        continue;
      }
      try {
        fixed.add(translateOrThrow(conjunct));
      } catch (UnsupportedOperationException refused) {
        // This conjunct stays above the scan only.
      }
    }
    return new Split(fixed.stream().reduce(Expressions::and), List.copyOf(deferred));
  }

  /**
   * Translates conjuncts with {@code ?} parameters, given the parameters' values (Calcite internal
   * values of each parameter's validated type). A conjunct that cannot be translated exactly with
   * these values is left out (it is then TRUE for the purpose of skipping).
   *
   * @param fields the columns that input references in {@code conjuncts} refer to
   * @param conjuncts as returned in {@link Split#deferred()} (input references possibly remapped)
   * @param parameters the value of parameter {@code i}, possibly null
   * @return the conjunction, or {@code alwaysTrue} when nothing could be translated
   */
  public static Expression bind(
      List<Types.NestedField> fields, List<RexNode> conjuncts, IntFunction<Object> parameters) {
    IcebergFilterTranslator t = new IcebergFilterTranslator(fields, null, parameters);
    Types.StructType struct = Types.StructType.of(fields);
    Expression result = Expressions.alwaysTrue();
    for (RexNode conjunct : conjuncts) {
      Expression translated;
      try {
        translated = t.translateOrThrow(conjunct);
        // A value Iceberg would refuse must not fail the statement: leave the conjunct out.
        Binder.bind(struct, translated, true);
      } catch (UnsupportedOperationException | ValidationException refused) {
        continue; // Left out: the filter above the scan checks it.
      }
      result = Expressions.and(result, translated);
    }
    return result;
  }

  /**
   * Translates a whole predicate, or throws {@link UnsupportedOperationException} when any part of
   * it has no exact Iceberg equivalent.
   */
  public Expression translateOrThrow(RexNode node) {
    switch (node.getKind()) {
      case AND:
        return ((RexCall) node)
            .getOperands().stream().map(this::translateOrThrow).reduce(Expressions::and).get();
      case OR:
        return ((RexCall) node)
            .getOperands().stream().map(this::translateOrThrow).reduce(Expressions::or).get();
      case NOT:
        return Expressions.not(translateOrThrow(((RexCall) node).getOperands().get(0)));
      case SEARCH:
        if (rexBuilder == null) {
          throw refuse();
        }
        return translateOrThrow(RexUtil.expandSearch(rexBuilder, null, node));
      case IS_NULL:
        return Expressions.isNull(column(((RexCall) node).getOperands().get(0)).name());
      case IS_NOT_NULL:
        return Expressions.notNull(column(((RexCall) node).getOperands().get(0)).name());
      case EQUALS:
      case NOT_EQUALS:
      case LESS_THAN:
      case LESS_THAN_OR_EQUAL:
      case GREATER_THAN:
      case GREATER_THAN_OR_EQUAL:
        return comparison((RexCall) node);
      case LIKE:
        return like((RexCall) node);
      case INPUT_REF:
        {
          Types.NestedField field = column(node);
          if (field.type().typeId() != Type.TypeID.BOOLEAN) {
            throw refuse();
          }
          return Expressions.equal(field.name(), true);
        }
      case LITERAL:
        if (Boolean.TRUE.equals(((RexLiteral) node).getValueAs(Boolean.class))) {
          return Expressions.alwaysTrue();
        }
        throw refuse();
      default:
        throw refuse();
    }
  }

  /**
   * Whether a conjunct with parameters has a shape {@link #translateOrThrow} may accept once the
   * values are known: boolean connectives over comparisons of a column with a literal or a
   * parameter of the column's kind, and null tests.
   */
  private boolean pushableShape(RexNode node) {
    switch (node.getKind()) {
      case AND:
      case OR:
      case NOT:
        for (RexNode operand : ((RexCall) node).getOperands()) {
          if (!pushableShape(operand)) {
            return false;
          }
        }
        return true;
      case IS_NULL:
      case IS_NOT_NULL:
        return ((RexCall) node).getOperands().get(0) instanceof RexInputRef;
      case EQUALS:
      case NOT_EQUALS:
      case LESS_THAN:
      case LESS_THAN_OR_EQUAL:
      case GREATER_THAN:
      case GREATER_THAN_OR_EQUAL:
        {
          RexNode left = ((RexCall) node).getOperands().get(0);
          RexNode right = ((RexCall) node).getOperands().get(1);
          if (right instanceof RexInputRef) {
            RexNode tmp = left;
            left = right;
            right = tmp;
          }
          if (!(left instanceof RexInputRef ref) || ref.getIndex() >= fields.size()) {
            return false; // not a table column (e.g. a scan's row id)
          }
          if (right instanceof RexLiteral) {
            return true;
          }
          return right instanceof RexDynamicParam param
              && compatible(param.getType(), fields.get(ref.getIndex()).type());
        }
      case LIKE:
      case LITERAL:
      case INPUT_REF:
        return !containsParam(node);
      default:
        return false;
    }
  }

  private Expression comparison(RexCall call) {
    RexNode left = call.getOperands().get(0);
    RexNode right = call.getOperands().get(1);
    SqlKind kind = call.getKind();
    if (right instanceof RexInputRef && !(left instanceof RexInputRef)) {
      RexNode tmp = left;
      left = right;
      right = tmp;
      kind = kind.reverse();
    }
    Types.NestedField field = column(left);
    Object value;
    if (right instanceof RexLiteral literal) {
      if (literal.isNull()) {
        throw refuse();
      }
      value = literalValue(literal, field.type());
    } else if (right instanceof RexDynamicParam param && parameters != null) {
      Object internal = parameters.apply(param.getIndex());
      if (internal == null) {
        // `column <op> NULL` is never TRUE.
        return Expressions.alwaysFalse();
      }
      value = parameterValue(internal, param.getType(), field.type());
    } else {
      throw refuse();
    }
    return compare(kind, field, value);
  }

  private static Expression compare(SqlKind kind, Types.NestedField field, Object value) {
    String name = field.name();
    Type.TypeID id = field.type().typeId();
    if (id == Type.TypeID.TIMESTAMP || id == Type.TypeID.TIME) {
      return millisecondBucket(kind, name, (Long) value);
    }
    if (id == Type.TypeID.STRING
        && kind != SqlKind.EQUALS
        && kind != SqlKind.NOT_EQUALS
        && !sameOrderInJavaAndUtf8((String) value)) {
      throw refuse();
    }
    return switch (kind) {
      case EQUALS -> Expressions.equal(name, value);
      case NOT_EQUALS -> Expressions.notEqual(name, value);
      case LESS_THAN -> Expressions.lessThan(name, value);
      case LESS_THAN_OR_EQUAL -> Expressions.lessThanOrEqual(name, value);
      case GREATER_THAN -> Expressions.greaterThan(name, value);
      case GREATER_THAN_OR_EQUAL -> Expressions.greaterThanOrEqual(name, value);
      default -> throw refuse();
    };
  }

  /**
   * A comparison with {@code millis} of a column stored in microseconds and read truncated to
   * milliseconds: {@code floor(c / 1000) <op> millis}.
   */
  private static Expression millisecondBucket(SqlKind kind, String name, long millis) {
    long lo = Math.multiplyExact(millis, 1000L);
    long hi = Math.addExact(lo, 1000L);
    return switch (kind) {
      case EQUALS ->
          Expressions.and(Expressions.greaterThanOrEqual(name, lo), Expressions.lessThan(name, hi));
      case NOT_EQUALS ->
          Expressions.or(Expressions.lessThan(name, lo), Expressions.greaterThanOrEqual(name, hi));
      case LESS_THAN -> Expressions.lessThan(name, lo);
      case LESS_THAN_OR_EQUAL -> Expressions.lessThan(name, hi);
      case GREATER_THAN -> Expressions.greaterThanOrEqual(name, hi);
      case GREATER_THAN_OR_EQUAL -> Expressions.greaterThanOrEqual(name, lo);
      default -> throw refuse();
    };
  }

  /** Whether Java's UTF-16 order and UTF-8 byte order agree when comparing any string with s. */
  private static boolean sameOrderInJavaAndUtf8(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= '\uD800') {
        return false;
      }
    }
    return true;
  }

  /** {@code col LIKE 'prefix%'} without other wildcards or an escape becomes startsWith. */
  private Expression like(RexCall call) {
    if (call.getOperands().size() != 2 || !(call.getOperands().get(1) instanceof RexLiteral)) {
      throw refuse();
    }
    Types.NestedField field = column(call.getOperands().get(0));
    if (field.type().typeId() != Type.TypeID.STRING) {
      throw refuse();
    }
    String pattern = ((RexLiteral) call.getOperands().get(1)).getValueAs(String.class);
    if (pattern == null || !pattern.endsWith("%")) {
      throw refuse();
    }
    String prefix = pattern.substring(0, pattern.length() - 1);
    if (prefix.isEmpty() || prefix.contains("%") || prefix.contains("_")) {
      throw refuse();
    }
    return Expressions.startsWith(field.name(), prefix);
  }

  private Types.NestedField column(RexNode node) {
    if (node instanceof RexInputRef ref && ref.getIndex() < fields.size()) {
      return fields.get(ref.getIndex());
    }
    throw refuse();
  }

  /** Whether a parameter of this type can be compared with a column of this Iceberg type. */
  private static boolean compatible(RelDataType type, Type column) {
    SqlTypeName t = type.getSqlTypeName();
    return switch (column.typeId()) {
      case BOOLEAN -> t == SqlTypeName.BOOLEAN;
      case INTEGER, LONG, DECIMAL -> SqlTypeUtil.isExactNumeric(type);
      case DOUBLE -> t == SqlTypeName.DOUBLE || t == SqlTypeName.FLOAT;
      case STRING -> t == SqlTypeName.VARCHAR;
      case DATE -> t == SqlTypeName.DATE;
      case TIME -> t == SqlTypeName.TIME;
      case TIMESTAMP -> isTimestamp(t);
      default -> false;
    };
  }

  /**
   * A parameter's value (Calcite internal form of its validated type) as the Iceberg value of the
   * column's type, or refuse if not exactly convertible.
   */
  private static Object parameterValue(Object internal, RelDataType type, Type column) {
    if (!compatible(type, column)) {
      throw refuse();
    }
    try {
      return switch (column.typeId()) {
        case BOOLEAN -> (Boolean) internal;
        case INTEGER -> exact(internal).intValueExact();
        case LONG -> exact(internal).longValueExact();
        case DECIMAL -> decimal(exact(internal), (Types.DecimalType) column);
        case DOUBLE -> pushableDouble(((Number) internal).doubleValue());
        case STRING -> (String) internal;
        case DATE -> (Integer) internal;
        case TIME -> ((Integer) internal).longValue();
        case TIMESTAMP -> (Long) internal;
        default -> throw refuse();
      };
    } catch (ArithmeticException | ClassCastException e) {
      throw refuse();
    }
  }

  private static BigDecimal exact(Object internal) {
    if (internal instanceof BigDecimal d) {
      return d;
    }
    if (internal instanceof Long
        || internal instanceof Integer
        || internal instanceof Short
        || internal instanceof Byte) {
      return BigDecimal.valueOf(((Number) internal).longValue());
    }
    throw refuse();
  }

  /** The value at the column's scale, refusing values the column cannot hold exactly. */
  private static BigDecimal decimal(BigDecimal value, Types.DecimalType type) {
    BigDecimal scaled = value.setScale(type.scale(), RoundingMode.UNNECESSARY);
    if (scaled.precision() > type.precision()) {
      throw refuse();
    }
    return scaled;
  }

  private static double pushableDouble(double d) {
    if (Double.isNaN(d) || d == 0d) {
      throw refuse();
    }
    return d;
  }

  /** A literal as the Iceberg value of the column's type, or refuse if not exactly convertible. */
  private static Object literalValue(RexLiteral literal, Type type) {
    try {
      return switch (type.typeId()) {
        case BOOLEAN -> require(literal.getValueAs(Boolean.class));
        case INTEGER -> exact(literal).intValueExact();
        case LONG -> exact(literal).longValueExact();
        case DOUBLE -> {
          if (!SqlTypeUtil.isNumeric(literal.getType())) {
            throw refuse();
          }
          yield pushableDouble(require(literal.getValueAs(Double.class)));
        }
        case DECIMAL -> decimal(exact(literal), (Types.DecimalType) type);
        case STRING -> {
          if (!(literal.getValue() instanceof NlsString)) {
            throw refuse();
          }
          yield require(literal.getValueAs(String.class));
        }
        case DATE -> {
          requireType(literal, SqlTypeName.DATE);
          yield require(literal.getValueAs(Integer.class));
        }
        case TIME -> {
          requireType(literal, SqlTypeName.TIME);
          yield require(literal.getValueAs(Integer.class)).longValue();
        }
        case TIMESTAMP -> {
          if (!isTimestamp(literal.getType().getSqlTypeName())) {
            throw refuse();
          }
          yield require(literal.getValueAs(Long.class));
        }
        default -> throw refuse();
      };
    } catch (ArithmeticException | ClassCastException | AssertionError e) {
      throw refuse();
    }
  }

  /**
   * TIMESTAMP and TIMESTAMP WITH LOCAL TIME ZONE: both hold the epoch milliseconds of the UTC wall
   * clock (the session's zone is UTC), compared with either kind of stored timestamp as they are.
   */
  private static boolean isTimestamp(SqlTypeName t) {
    return t == SqlTypeName.TIMESTAMP || t == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
  }

  private static void requireType(RexLiteral literal, SqlTypeName t) {
    if (literal.getType().getSqlTypeName() != t) {
      throw refuse();
    }
  }

  private static BigDecimal exact(RexLiteral literal) {
    if (!SqlTypeUtil.isExactNumeric(literal.getType())) {
      throw refuse();
    }
    return require(literal.getValueAs(BigDecimal.class));
  }

  private static <T> T require(T value) {
    if (value == null) {
      throw refuse();
    }
    return value;
  }

  private static boolean containsParam(RexNode node) {
    try {
      node.accept(
          new RexVisitorImpl<Void>(true) {
            @Override
            public Void visitDynamicParam(RexDynamicParam param) {
              throw Util.FoundOne.NULL;
            }
          });
      return false;
    } catch (Util.FoundOne found) {
      return true;
    }
  }

  private static UnsupportedOperationException refuse() {
    return new UnsupportedOperationException("not translatable to an Iceberg expression");
  }
}
