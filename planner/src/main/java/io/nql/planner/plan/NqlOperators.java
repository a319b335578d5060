package io.nql.planner.plan;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.adapter.enumerable.RexToLixTranslator;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.schema.ScalarFunction;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlUtil;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlOperandMetadata;
import org.apache.calcite.sql.type.SqlOperandTypeInference;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Builds the Calcite operators of {@link NqlFunctions}: user-defined functions (so Calcite's
 * simplifier treats each call as one that may fail, and never folds it away) whose operand check
 * also validates the literal options (a unit, a format, a bit length) before anything runs, and
 * whose generated code calls a public static method with nullable (boxed) arguments.
 */
final class NqlOperators {
  private NqlOperators() {}

  /** The kinds of operand an NQL function takes. */
  enum Operand {
    /** A string: CHAR or VARCHAR. */
    STRING("VARCHAR"),
    /** An exact integer: TINYINT to BIGINT, passed as a {@code Long}. */
    INTEGER("BIGINT"),
    /** A number: an exact integer, DECIMAL, or an approximate number. */
    NUMBER("BIGINT | DECIMAL | DOUBLE"),
    /** A DATE, a TIMESTAMP or a TIMESTAMP WITH LOCAL TIME ZONE. */
    DATETIME("DATE | TIMESTAMP | TIMESTAMP WITH LOCAL TIME ZONE");

    final String signature;

    Operand(String signature) {
      this.signature = signature;
    }

    boolean accepts(RelDataType t) {
      SqlTypeName n = t.getSqlTypeName();
      if (n == SqlTypeName.NULL) {
        return true;
      }
      return switch (this) {
        case STRING -> SqlTypeFamily.CHARACTER.getTypeNames().contains(n);
        case INTEGER -> CheckedArithmetic.isExactInteger(n);
        case NUMBER ->
            CheckedArithmetic.isExactInteger(n)
                || n == SqlTypeName.DECIMAL
                || SqlTypeFamily.APPROXIMATE_NUMERIC.getTypeNames().contains(n);
        case DATETIME ->
            n == SqlTypeName.DATE
                || n == SqlTypeName.TIMESTAMP
                || n == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
      };
    }

    /** The type a {@code ?} or an untyped NULL in this place takes. */
    RelDataType unknown(RelDataTypeFactory f) {
      return switch (this) {
        case STRING -> f.createSqlType(SqlTypeName.VARCHAR);
        case INTEGER, NUMBER -> f.createSqlType(SqlTypeName.BIGINT);
        case DATETIME -> f.createSqlType(SqlTypeName.TIMESTAMP, 3);
      };
    }
  }

  /**
   * Validates the literal options of a call (its unit, format, bit length) when it is validated, so
   * that a wrong one is refused whether or not any row is read.
   */
  @FunctionalInterface
  interface LiteralCheck {
    /** No options to check. */
    LiteralCheck NONE = binding -> {};

    /**
     * Checks the call's literal operands.
     *
     * @throws io.nql.planner.error.EvaluationException for an invalid one, as evaluating it would
     */
    void check(SqlCallBinding binding);
  }

  /** The value of a non-NULL string literal operand, or null when the operand is something else. */
  static @Nullable String stringLiteral(SqlCallBinding binding, int i) {
    return binding.operand(i) instanceof SqlLiteral l && !SqlUtil.isNullLiteral(l, false)
        ? l.getValueAs(String.class)
        : null;
  }

  /** The value of a non-NULL numeric literal operand, or null when it is something else. */
  static @Nullable BigDecimal numericLiteral(SqlCallBinding binding, int i) {
    return binding.operand(i) instanceof SqlLiteral l
            && !SqlUtil.isNullLiteral(l, false)
            && l.getValue() instanceof BigDecimal
        ? l.getValueAs(BigDecimal.class)
        : null;
  }

  /**
   * A function of VARCHAR (and INTEGER) operands returning a nullable VARCHAR, implemented by a
   * public static method whose parameters are {@code String} (and {@code Integer}), as Calcite's
   * {@link ScalarFunctionImpl} calls it.
   */
  static SqlOperator strings(String name, Method method, LiteralCheck check) {
    List<SqlTypeName> params = new ArrayList<>();
    for (Class<?> c : method.getParameterTypes()) {
      params.add(c == Integer.class ? SqlTypeName.INTEGER : SqlTypeName.VARCHAR);
    }
    List<SqlTypeFamily> families = new ArrayList<>();
    for (SqlTypeName t : params) {
      families.add(t == SqlTypeName.INTEGER ? SqlTypeFamily.INTEGER : SqlTypeFamily.CHARACTER);
    }
    JavaTypeFactoryImpl types = new JavaTypeFactoryImpl(NqlTypeSystem.INSTANCE);
    List<RelDataType> argTypes = new ArrayList<>();
    for (SqlTypeName t : params) {
      argTypes.add(types.createTypeWithNullability(types.createSqlType(t), true));
    }
    SqlOperandMetadata families1 =
        OperandTypes.operandMetadata(
            families,
            factory -> {
              List<RelDataType> out = new ArrayList<>();
              for (SqlTypeName t : params) {
                out.add(factory.createTypeWithNullability(factory.createSqlType(t), true));
              }
              return out;
            },
            i -> "arg" + i,
            i -> false);
    return new SqlUserDefinedFunction(
        new SqlIdentifier(name, SqlParserPos.ZERO),
        SqlKind.OTHER_FUNCTION,
        ReturnTypes.explicit(SqlTypeName.VARCHAR).andThen(SqlTypeTransforms.FORCE_NULLABLE),
        InferTypes.explicit(argTypes),
        new Checked(families1, check),
        ScalarFunctionImpl.create(method));
  }

  /**
   * A function of the given operand kinds whose generated code calls {@code owner.method(…)} with
   * each operand as a nullable Java value ({@code String}, {@code Long} for exact integers and
   * timestamps, {@code Integer} for dates, {@code BigDecimal}, {@code Double}): Java picks the
   * overload for the operands' types. With {@code datesAsMillis}, a DATE is passed as the epoch
   * milliseconds of its midnight instead.
   */
  static SqlOperator overloaded(
      String name,
      List<Operand> operands,
      SqlReturnTypeInference returnType,
      LiteralCheck check,
      Class<?> owner,
      String method,
      boolean datesAsMillis) {
    return new SqlUserDefinedFunction(
        new SqlIdentifier(name, SqlParserPos.ZERO),
        SqlKind.OTHER_FUNCTION,
        returnType.andThen(SqlTypeTransforms.FORCE_NULLABLE),
        unknownTypes(operands),
        new Checked(new Kinds(operands), check),
        new Call(owner, method, datesAsMillis));
  }

  private static SqlOperandTypeInference unknownTypes(List<Operand> operands) {
    return (binding, returnType, operandTypes) -> {
      for (int i = 0; i < operandTypes.length && i < operands.size(); i++) {
        operandTypes[i] = operands.get(i).unknown(binding.getTypeFactory());
      }
    };
  }

  /** An operand check that also runs the function's literal check once the types are right. */
  private record Checked(SqlOperandMetadata types, LiteralCheck literals)
      implements SqlOperandMetadata {
    @Override
    public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
      if (!types.checkOperandTypes(binding, throwOnFailure)) {
        return false;
      }
      literals.check(binding);
      return true;
    }

    @Override
    public SqlOperandCountRange getOperandCountRange() {
      return types.getOperandCountRange();
    }

    @Override
    public String getAllowedSignatures(SqlOperator op, String opName) {
      return types.getAllowedSignatures(op, opName);
    }

    @Override
    public boolean isOptional(int i) {
      return types.isOptional(i);
    }

    @Override
    public boolean isFixedParameters() {
      return types.isFixedParameters();
    }

    @Override
    public List<RelDataType> paramTypes(RelDataTypeFactory typeFactory) {
      return types.paramTypes(typeFactory);
    }

    @Override
    public List<String> paramNames() {
      return types.paramNames();
    }
  }

  /** Operands of the given kinds, in order; no parameter types for Calcite's overload lookup. */
  private record Kinds(List<Operand> operands) implements SqlOperandMetadata {
    @Override
    public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
      for (int i = 0; i < operands.size(); i++) {
        if (!operands.get(i).accepts(binding.getOperandType(i))) {
          if (throwOnFailure) {
            throw binding.newValidationSignatureError();
          }
          return false;
        }
      }
      return true;
    }

    @Override
    public SqlOperandCountRange getOperandCountRange() {
      return SqlOperandCountRanges.of(operands.size());
    }

    @Override
    public String getAllowedSignatures(SqlOperator op, String opName) {
      List<String> kinds = new ArrayList<>();
      for (Operand o : operands) {
        kinds.add("<" + o.signature + ">");
      }
      return opName + "(" + String.join(", ", kinds) + ")";
    }

    @Override
    public List<RelDataType> paramTypes(RelDataTypeFactory typeFactory) {
      List<RelDataType> out = new ArrayList<>();
      for (Operand o : operands) {
        out.add(typeFactory.createTypeWithNullability(o.unknown(typeFactory), true));
      }
      return out;
    }

    @Override
    public List<String> paramNames() {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < operands.size(); i++) {
        out.add("arg" + i);
      }
      return out;
    }
  }

  /**
   * Generates {@code owner.method(operands)}, each operand converted to its nullable Java value;
   * the method returns NULL for a NULL operand. The NULL test is the method's rather than Calcite's
   * ({@code NullPolicy.STRICT}), which would let the simplifier drop a call that can fail (see
   * {@link CheckedArithmetic}).
   */
  private record Call(Class<?> owner, String method, boolean datesAsMillis)
      implements ScalarFunction, ImplementableFunction {
    @Override
    public RelDataType getReturnType(RelDataTypeFactory typeFactory) {
      return typeFactory.createSqlType(SqlTypeName.ANY);
    }

    @Override
    public List<FunctionParameter> getParameters() {
      return List.of();
    }

    @Override
    public CallImplementor getImplementor() {
      return RexImpTable.createImplementor(this::implement, NullPolicy.NONE, false);
    }

    private Expression implement(
        RexToLixTranslator translator, RexCall call, List<Expression> operands) {
      List<Expression> args = new ArrayList<>();
      for (int i = 0; i < operands.size(); i++) {
        SqlTypeName t = call.getOperands().get(i).getType().getSqlTypeName();
        Expression arg = EnumUtils.convert(operands.get(i), javaType(t));
        if (datesAsMillis && t == SqlTypeName.DATE) {
          arg = Expressions.call(DateFunctions.class, "millisOfDate", arg);
        }
        args.add(arg);
      }
      return Expressions.call(owner, method, args);
    }
  }

  /** The nullable Java type a value of a SQL type is passed as. */
  private static Type javaType(SqlTypeName t) {
    return switch (t) {
      case DATE -> Integer.class;
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> Long.class;
      case DECIMAL -> BigDecimal.class;
      case REAL, FLOAT, DOUBLE -> Double.class;
      case TINYINT, SMALLINT, INTEGER, BIGINT -> Long.class;
      default -> String.class;
    };
  }
}
