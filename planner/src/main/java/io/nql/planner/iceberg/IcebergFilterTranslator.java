package io.nql.planner.iceberg;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.NlsString;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Translates a Calcite filter over a scan's columns into an Iceberg {@link Expression} used for
 * scan planning (partition pruning and file skipping by column bounds).
 *
 * <p>Top-level conjuncts are translated one by one; a conjunct that cannot be translated exactly is
 * refused (left out), so the pushed expression is never narrower than the SQL predicate. The caller
 * keeps the whole filter above the scan, so correctness never depends on push-down.
 */
public final class IcebergFilterTranslator {
  private final List<Types.NestedField> fields;
  private final RexBuilder rexBuilder;

  /**
   * @param fields the scan's output columns, in order: input reference {@code $i} is field i
   * @param rexBuilder used to expand {@code SEARCH} calls into comparisons
   */
  public IcebergFilterTranslator(List<Types.NestedField> fields, RexBuilder rexBuilder) {
    this.fields = fields;
    this.rexBuilder = rexBuilder;
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
      case LITERAL:
        if (Boolean.TRUE.equals(((RexLiteral) node).getValueAs(Boolean.class))) {
          return Expressions.alwaysTrue();
        }
        throw refuse();
      default:
        throw refuse();
    }
  }

  private Expression comparison(RexCall call) {
    RexNode left = call.getOperands().get(0);
    RexNode right = call.getOperands().get(1);
    SqlKind kind = call.getKind();
    if (left instanceof RexLiteral && right instanceof RexInputRef) {
      RexNode tmp = left;
      left = right;
      right = tmp;
      kind = kind.reverse();
    }
    Types.NestedField field = column(left);
    if (!(right instanceof RexLiteral literal)) {
      throw refuse();
    }
    Object value = literalValue(literal, field.type());
    String name = field.name();
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
    if (node instanceof RexInputRef ref) {
      return fields.get(ref.getIndex());
    }
    throw refuse();
  }

  /** A literal as the Iceberg value of the column's type, or refuse if not exactly convertible. */
  private static Object literalValue(RexLiteral literal, Type type) {
    if (literal.isNull()) {
      throw refuse();
    }
    try {
      return switch (type.typeId()) {
        case BOOLEAN -> require(literal.getValueAs(Boolean.class));
        case INTEGER -> exact(literal).intValueExact();
        case LONG -> exact(literal).longValueExact();
        case DOUBLE -> require(literal.getValueAs(Double.class));
        case DECIMAL ->
            exact(literal).setScale(((Types.DecimalType) type).scale(), RoundingMode.UNNECESSARY);
        case STRING -> {
          if (!(literal.getValue() instanceof NlsString)) {
            throw refuse();
          }
          yield require(literal.getValueAs(String.class));
        }
        case DATE -> {
          requireType(literal, org.apache.calcite.sql.type.SqlTypeName.DATE);
          yield require(literal.getValueAs(Integer.class));
        }
        case TIME -> {
          requireType(literal, org.apache.calcite.sql.type.SqlTypeName.TIME);
          yield require(literal.getValueAs(Integer.class)) * 1000L;
        }
        case TIMESTAMP -> {
          requireType(literal, org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP);
          yield require(literal.getValueAs(Long.class)) * 1000L;
        }
        default -> throw refuse();
      };
    } catch (ArithmeticException | ClassCastException | AssertionError e) {
      throw refuse();
    }
  }

  private static void requireType(RexLiteral literal, org.apache.calcite.sql.type.SqlTypeName t) {
    if (literal.getType().getSqlTypeName() != t) {
      throw refuse();
    }
  }

  private static BigDecimal exact(RexLiteral literal) {
    if (!org.apache.calcite.sql.type.SqlTypeUtil.isExactNumeric(literal.getType())) {
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

  private static UnsupportedOperationException refuse() {
    return new UnsupportedOperationException("not translatable to an Iceberg expression");
  }
}
