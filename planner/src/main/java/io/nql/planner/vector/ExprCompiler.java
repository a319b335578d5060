package io.nql.planner.vector;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Compiles Calcite row expressions to vector {@link Operand}s and {@link Predicate}s: input fields,
 * literals, {@code ?} parameters, comparisons, AND/OR/NOT, IS [NOT] NULL/TRUE/FALSE, IS [NOT]
 * DISTINCT FROM, and casts that cannot fail. SEARCH must be expanded before (see {@code
 * RexUtil.expandSearch}). Anything else throws {@link UnsupportedOperationException}, and the plan
 * runs on the row engine.
 *
 * <p>A parameter compiles to a constant: its value for one execution, given to the compiler, or
 * NULL when the compiler only checks that an expression compiles (its shape does not depend on the
 * value).
 */
final class ExprCompiler {
  private final List<RelDataType> inputTypes;
  private final IntFunction<Object> parameters;

  /** A compiler that checks shapes: every {@code ?} parameter is NULL. */
  ExprCompiler(List<RelDataType> inputTypes) {
    this(inputTypes, index -> null);
  }

  /**
   * @param parameters the value of parameter {@code i} for one execution, as the row engine's
   *     generated code reads it ({@code ?i} in the statement's DataContext), possibly null
   */
  ExprCompiler(List<RelDataType> inputTypes, IntFunction<Object> parameters) {
    this.inputTypes = inputTypes;
    this.parameters = parameters;
  }

  /** A value expression. */
  Operand operand(RexNode e) {
    if (!VectorTypes.supported(e.getType())) {
      throw new UnsupportedOperationException("type " + e.getType());
    }
    if (e instanceof RexInputRef ref) {
      int index = ref.getIndex();
      RelDataType type = inputTypes.get(index);
      return new Operand() {
        @Override
        public RelDataType type() {
          return type;
        }

        @Override
        public Values bind(Batch batch) {
          return ColumnValues.of(batch.vectors[index]);
        }
      };
    }
    if (e instanceof RexLiteral lit) {
      return literal(lit);
    }
    if (e instanceof RexDynamicParam param) {
      return constant(param.getType(), parameterValue(param));
    }
    if (e instanceof RexCall call && call.getKind() == SqlKind.CAST) {
      return Casts.of(operand(call.getOperands().get(0)), call.getType());
    }
    if (e.getType().getSqlTypeName() == SqlTypeName.BOOLEAN) {
      return Predicates.operand(predicate(e), e.getType());
    }
    throw new UnsupportedOperationException("expression " + e);
  }

  /** A boolean expression. */
  Predicate predicate(RexNode e) {
    if (e.getType().getSqlTypeName() != SqlTypeName.BOOLEAN) {
      throw new UnsupportedOperationException("not boolean: " + e);
    }
    if (e instanceof RexLiteral lit) {
      Boolean b = lit.getValueAs(Boolean.class);
      return Predicates.constant(
          b == null ? Predicate.UNKNOWN : b ? Predicate.TRUE : Predicate.FALSE);
    }
    if (e instanceof RexInputRef || e instanceof RexDynamicParam) {
      return Predicates.of(operand(e));
    }
    if (!(e instanceof RexCall call)) {
      throw new UnsupportedOperationException("expression " + e);
    }
    List<RexNode> args = call.getOperands();
    return switch (call.getKind()) {
      case AND -> Predicates.and(predicates(args));
      case OR -> Predicates.or(predicates(args));
      case NOT -> Predicates.not(predicate(args.get(0)));
      case IS_NULL -> Predicates.isNull(operand(args.get(0)), false);
      case IS_NOT_NULL -> Predicates.isNull(operand(args.get(0)), true);
      case IS_TRUE -> Predicates.is(predicate(args.get(0)), Predicate.TRUE, false);
      case IS_NOT_TRUE -> Predicates.is(predicate(args.get(0)), Predicate.TRUE, true);
      case IS_FALSE -> Predicates.is(predicate(args.get(0)), Predicate.FALSE, false);
      case IS_NOT_FALSE -> Predicates.is(predicate(args.get(0)), Predicate.FALSE, true);
      case EQUALS,
          NOT_EQUALS,
          LESS_THAN,
          LESS_THAN_OR_EQUAL,
          GREATER_THAN,
          GREATER_THAN_OR_EQUAL,
          IS_DISTINCT_FROM,
          IS_NOT_DISTINCT_FROM ->
          Comparison.of(call.getKind(), operand(args.get(0)), operand(args.get(1)));
      case CAST -> {
        if (args.get(0).getType().getSqlTypeName() != SqlTypeName.BOOLEAN) {
          throw new UnsupportedOperationException("cast to boolean " + e);
        }
        yield predicate(args.get(0));
      }
      default -> throw new UnsupportedOperationException("call " + call.getKind());
    };
  }

  private List<Predicate> predicates(List<RexNode> args) {
    List<Predicate> out = new ArrayList<>(args.size());
    for (RexNode a : args) {
      out.add(predicate(a));
    }
    return out;
  }

  /** A literal's value, in Calcite's internal representation, on every row. */
  static Operand literal(RexLiteral lit) {
    return constant(lit.getType(), internalValue(lit));
  }

  /**
   * A parameter's value in the representation {@link #internalValue} gives a literal of its type.
   * The executor stores values already converted to the parameter's type ({@code exec.Parameters}):
   * a value of another class is refused (the row engine runs the statement).
   */
  private Object parameterValue(RexDynamicParam param) {
    Object value = parameters.apply(param.getIndex());
    if (value == null) {
      return null;
    }
    boolean expected =
        switch (param.getType().getSqlTypeName()) {
          case BOOLEAN -> value instanceof Boolean;
          case TINYINT, SMALLINT, INTEGER, BIGINT, DATE, TIME ->
              value instanceof Byte
                  || value instanceof Short
                  || value instanceof Integer
                  || value instanceof Long;
          case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> value instanceof Long;
          case REAL, FLOAT, DOUBLE -> value instanceof Float || value instanceof Double;
          case DECIMAL -> value instanceof BigDecimal;
          case CHAR, VARCHAR -> value instanceof String;
          case BINARY, VARBINARY -> value instanceof ByteString;
          default -> false;
        };
    if (!expected) {
      throw new UnsupportedOperationException(
          "parameter " + param + " of " + param.getType() + " bound to a " + value.getClass());
    }
    return value;
  }

  /** A value of {@code type}, in Calcite's internal representation (or null), on every row. */
  private static Operand constant(RelDataType type, Object value) {
    SqlTypeName name = type.getSqlTypeName();
    Values values;
    if (value == null) {
      values = row -> true;
    } else {
      values =
          switch (name) {
            case BOOLEAN -> longValue(((Boolean) value) ? 1 : 0);
            case TINYINT,
                SMALLINT,
                INTEGER,
                BIGINT,
                DATE,
                TIME,
                TIMESTAMP,
                TIMESTAMP_WITH_LOCAL_TIME_ZONE ->
                longValue(((Number) value).longValue());
            case REAL, FLOAT, DOUBLE -> doubleValue(((Number) value).doubleValue());
            case DECIMAL -> decimalValue((BigDecimal) value, type.getScale());
            case CHAR, VARCHAR -> bytesValue(((String) value).getBytes(StandardCharsets.UTF_8));
            case BINARY, VARBINARY -> bytesValue(((ByteString) value).getBytes());
            default -> throw new UnsupportedOperationException("constant of " + type);
          };
    }
    return new Operand() {
      @Override
      public RelDataType type() {
        return type;
      }

      @Override
      public Values bind(Batch batch) {
        return values;
      }
    };
  }

  /**
   * The value the row engine holds for a literal (see {@link io.nql.planner.exec.ArrowValues#set}).
   */
  static Object internalValue(RexLiteral lit) {
    if (lit.isNull()) {
      return null;
    }
    return switch (lit.getType().getSqlTypeName()) {
      case BOOLEAN -> lit.getValueAs(Boolean.class);
      case TINYINT, SMALLINT, INTEGER, BIGINT -> lit.getValueAs(Long.class);
      case DATE, TIME -> lit.getValueAs(Integer.class);
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> lit.getValueAs(Long.class);
      case REAL, FLOAT, DOUBLE -> lit.getValueAs(Double.class);
      case DECIMAL -> lit.getValueAs(BigDecimal.class);
      case CHAR, VARCHAR -> lit.getValueAs(String.class);
      case BINARY, VARBINARY -> lit.getValueAs(ByteString.class);
      default -> throw new UnsupportedOperationException("literal " + lit);
    };
  }

  private static Values longValue(long v) {
    return new Values() {
      @Override
      public boolean isNull(int row) {
        return false;
      }

      @Override
      public long getLong(int row) {
        return v;
      }
    };
  }

  private static Values doubleValue(double v) {
    return new Values() {
      @Override
      public boolean isNull(int row) {
        return false;
      }

      @Override
      public double getDouble(int row) {
        return v;
      }
    };
  }

  private static Values decimalValue(BigDecimal v, int scale) {
    BigDecimal scaled;
    try {
      scaled = v.setScale(scale, java.math.RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new UnsupportedOperationException("decimal literal " + v + " beyond its scale");
    }
    long unscaled =
        scaled.unscaledValue().bitLength() < 64
            ? scaled.unscaledValue().longValue()
            : Long.MIN_VALUE;
    return new Values() {
      @Override
      public boolean isNull(int row) {
        return false;
      }

      @Override
      public BigDecimal getDecimal(int row) {
        return v;
      }

      @Override
      public long getUnscaled(int row) {
        if (unscaled == Long.MIN_VALUE) {
          throw new IllegalStateException("decimal literal " + v + " is not at scale " + scale);
        }
        return unscaled;
      }

      @Override
      public double getDouble(int row) {
        return v.doubleValue();
      }
    };
  }

  private static Values bytesValue(byte[] v) {
    return new ConstantBytes(v);
  }

  /** A string or binary literal's bytes (comparisons with it test bytes in place). */
  static final class ConstantBytes implements Values {
    final byte[] bytes;

    ConstantBytes(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public boolean isNull(int row) {
      return false;
    }

    @Override
    public byte[] getBytes(int row) {
      return bytes;
    }
  }
}
