package io.nql.planner.exec;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.linq4j.function.Strict;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexExecutor;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.util.TimestampString;

/**
 * Casts from TIMESTAMP to TIMESTAMP WITH LOCAL TIME ZONE that keep the fraction of a second.
 *
 * <p>Calcite (1.42) implements this cast through the text of the timestamp without its fraction, so
 * {@code CAST(TIMESTAMP '2026-10-01 08:00:00.123' AS TIMESTAMP WITH LOCAL TIME ZONE)} is 08:00:00.
 * Its validator inserts the cast itself when it compares a stored {@code timestamptz} column with a
 * TIMESTAMP literal ({@code event_ts = TIMESTAMP '…'}), so without this rewrite a comparison in a
 * query or in an access rule would match the wrong rows. The session time zone is UTC (see {@code
 * StatementContext}), where both types hold the same epoch milliseconds: the cast is the identity
 * on Calcite's values. {@link #rewrite} replaces such casts in the logical plan (access rules
 * included), like {@link CodePointStrings}: a literal becomes a literal of the target type (so the
 * comparison can still be pushed down and run on the vector path), any other operand a call of
 * {@link #toInstant}. Each expression keeps its validated type.
 */
@Strict
public final class TimestampCasts {
  private TimestampCasts() {}

  /** {@code CAST(t AS TIMESTAMP WITH LOCAL TIME ZONE)} in the UTC session: the same millis. */
  public static long toInstant(long millis) {
    return millis;
  }

  private static final SqlFunction TO_INSTANT = function();

  private static SqlFunction function() {
    for (Method m : TimestampCasts.class.getMethods()) {
      if (m.getName().equals("toInstant")) {
        return new SqlUserDefinedFunction(
            new SqlIdentifier("NQL_TIMESTAMP_AT_UTC", SqlParserPos.ZERO),
            SqlKind.OTHER_FUNCTION,
            ReturnTypes.ARG0_NULLABLE,
            null,
            null,
            ScalarFunctionImpl.create(m));
      }
    }
    throw new IllegalStateException("no method toInstant");
  }

  /**
   * {@code executor} reducing constant expressions with these casts replaced first: Calcite folds
   * constants while it converts a query (a comparison in a select list) and while it optimizes,
   * before and after {@link #rewrite} could see them.
   */
  public static RexExecutor reducingWith(RexExecutor executor) {
    return (rexBuilder, constExps, reducedValues) -> {
      RexShuttle casts = new CastRewriter(rexBuilder);
      List<RexNode> fixed = new ArrayList<>(constExps.size());
      for (RexNode e : constExps) {
        fixed.add(e.accept(casts));
      }
      executor.reduce(rexBuilder, fixed, reducedValues);
    };
  }

  /** {@code plan} with the casts from TIMESTAMP to TIMESTAMP WITH LOCAL TIME ZONE replaced. */
  public static RelNode rewrite(RelNode plan) {
    RexShuttle casts = new CastRewriter(plan.getCluster().getRexBuilder());
    return plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            return super.visit(other).accept(casts);
          }
        });
  }

  private static final class CastRewriter extends RexShuttle {
    private final RexBuilder rexBuilder;

    CastRewriter(RexBuilder rexBuilder) {
      this.rexBuilder = rexBuilder;
    }

    @Override
    public RexNode visitCall(RexCall call) {
      RexCall visited = (RexCall) super.visitCall(call);
      if (visited.getKind() != SqlKind.CAST
          || visited.getType().getSqlTypeName() != SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
        return visited;
      }
      RexNode operand = visited.getOperands().get(0);
      if (SqlTypeName.CHAR_TYPES.contains(operand.getType().getSqlTypeName())) {
        // Calcite reads text cast to TIMESTAMP WITH LOCAL TIME ZONE only with a zone suffix and
        // fails otherwise; in the UTC session the text is read as a TIMESTAMP, at UTC.
        RelDataType timestamp =
            rexBuilder
                .getTypeFactory()
                .createTypeWithNullability(
                    rexBuilder
                        .getTypeFactory()
                        .createSqlType(SqlTypeName.TIMESTAMP, visited.getType().getPrecision()),
                    operand.getType().isNullable());
        operand = rexBuilder.makeCast(timestamp, operand);
      } else if (operand.getType().getSqlTypeName() != SqlTypeName.TIMESTAMP) {
        return visited;
      }
      RelDataType type = visited.getType();
      if (operand instanceof RexLiteral literal) {
        TimestampString value = literal.getValueAs(TimestampString.class);
        if (value == null) {
          return rexBuilder.makeNullLiteral(type);
        }
        RexNode converted =
            rexBuilder.makeTimestampWithLocalTimeZoneLiteral(value, type.getPrecision());
        return converted.getType().equals(type)
            ? converted
            : rexBuilder.makeAbstractCast(type, converted, false);
      }
      return rexBuilder.makeCall(type, TO_INSTANT, List.of(operand));
    }
  }
}
