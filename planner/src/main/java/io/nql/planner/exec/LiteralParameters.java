package io.nql.planner.exec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.util.NlsString;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Literal normalization for the plan cache: a statement without {@code ?} parameters whose {@code
 * WHERE} clauses compare a column with a number or a string ({@code id = 42}, {@code region <>
 * 'eu'}) is planned as if those literals were parameters, so the same statement with other values
 * reuses the plan.
 *
 * <p>Only where the answer provably stays the same: a comparison ({@code = <> < <= > >=}) of a
 * column name (not a pseudo-column, whose literals the policy rewrite reads) with an exact number
 * or a character string, and only when the literal's value fits the type the validator gives the
 * parameter exactly ({@link #fits}): a whole number for an integer type within its range, a number
 * with no more digits or decimals than a DECIMAL holds, a whole number of at most 2^53 in magnitude
 * for a floating-point column, a string without trailing spaces for a VARCHAR no shorter than it.
 * Any other case plans the statement as written.
 */
final class LiteralParameters {
  private static final BigDecimal MAX_EXACT_DOUBLE = BigDecimal.valueOf(1L << 53);
  private static final BigDecimal MAX_EXACT_FLOAT = BigDecimal.valueOf(1L << 24);

  /** The statement as normalized: the literals' values, in parameter order. */
  record Normalized(List<Object> values, List<SqlLiteral> literals) {
    /** Whether every value fits its parameter's validated type exactly (see the class comment). */
    boolean fits(List<RelDataType> parameterTypes) {
      if (parameterTypes.size() != values.size()) {
        return false;
      }
      for (int i = 0; i < values.size(); i++) {
        if (!LiteralParameters.fits(literals.get(i), values.get(i), parameterTypes.get(i))) {
          return false;
        }
      }
      return true;
    }
  }

  private LiteralParameters() {}

  /**
   * Replaces the eligible literals of {@code query} by parameters, in place (the caller parses the
   * statement again to plan it as written).
   *
   * @return the replaced literals' values, or null when the statement has parameters or nothing to
   *     replace (then {@code query} is unchanged)
   */
  static @Nullable Normalized normalize(SqlNode query) {
    if (hasParameter(query)) {
      return null;
    }
    List<Slot> slots = new ArrayList<>();
    collect(query, slots);
    if (slots.isEmpty()) {
      return null;
    }
    List<Object> values = new ArrayList<>();
    List<SqlLiteral> literals = new ArrayList<>();
    // Numbered in depth-first order, which is the order the validator lists parameters in.
    slots.sort(null);
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      values.add(value(s.literal));
      literals.add(s.literal);
      s.call.setOperand(s.operand, new SqlDynamicParam(i, s.literal.getParserPosition()));
    }
    return new Normalized(values, literals);
  }

  /**
   * Whether the parameters of a validated statement appear in depth-first order with the indices 0,
   * 1, …: the order in which the validator lists their types and the indices their values are bound
   * to agree, so no value meets another parameter's type.
   */
  static boolean inOrder(SqlNode validated) {
    List<Integer> indices = new ArrayList<>();
    validated.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlDynamicParam param) {
            indices.add(param.getIndex());
            return null;
          }
        });
    for (int i = 0; i < indices.size(); i++) {
      if (indices.get(i) != i) {
        return false;
      }
    }
    return true;
  }

  /** A literal to replace: operand {@code operand} of {@code call}, at depth-first position. */
  private record Slot(int order, SqlBasicCall call, int operand, SqlLiteral literal)
      implements Comparable<Slot> {
    @Override
    public int compareTo(Slot o) {
      return Integer.compare(order, o.order);
    }
  }

  private static boolean hasParameter(SqlNode query) {
    boolean[] found = {false};
    query.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlDynamicParam param) {
            found[0] = true;
            return null;
          }
        });
    return found[0];
  }

  /** Finds the comparisons in WHERE clauses, numbering every literal in depth-first order. */
  private static void collect(SqlNode query, List<Slot> slots) {
    int[] order = {0};
    query.accept(
        new SqlBasicVisitor<Void>() {
          private int inWhere;

          @Override
          public Void visit(SqlLiteral literal) {
            order[0]++;
            return null;
          }

          @Override
          public Void visit(SqlCall call) {
            if (call instanceof SqlSelect select) {
              for (SqlNode operand : select.getOperandList()) {
                if (operand == null) {
                  continue;
                }
                boolean where = operand == select.getWhere();
                int saved = inWhere;
                inWhere = where ? 1 : 0;
                operand.accept(this);
                inWhere = saved;
              }
              return null;
            }
            if (inWhere > 0 && call instanceof SqlBasicCall basic && isComparison(basic)) {
              SqlNode left = basic.operand(0);
              SqlNode right = basic.operand(1);
              if (isColumn(left) && eligible(right)) {
                slots.add(new Slot(order[0] + 1, basic, 1, (SqlLiteral) right));
              } else if (isColumn(right) && eligible(left)) {
                slots.add(new Slot(order[0] + 1, basic, 0, (SqlLiteral) left));
              }
            }
            for (SqlNode operand : call.getOperandList()) {
              if (operand != null) {
                operand.accept(this);
              }
            }
            return null;
          }

          @Override
          public Void visit(SqlNodeList nodeList) {
            for (SqlNode n : nodeList) {
              if (n != null) {
                n.accept(this);
              }
            }
            return null;
          }
        });
  }

  /**
   * A column name, but not a pseudo-column ({@code _price_cpm_usd}, {@code _source_company_id},
   * {@code _access_rule_id}, names starting with an underscore): the policy rewrite reads their
   * literal comparisons to decide which rules a statement reads at all (free data needs no budget),
   * so their literals stay in the plan.
   */
  private static boolean isColumn(SqlNode node) {
    if (!(node instanceof SqlIdentifier id) || id.isStar()) {
      return false;
    }
    String last = id.names.get(id.names.size() - 1);
    return !last.startsWith("_");
  }

  private static boolean isComparison(SqlBasicCall call) {
    SqlKind k = call.getKind();
    return call.operandCount() == 2
        && (k == SqlKind.EQUALS
            || k == SqlKind.NOT_EQUALS
            || k == SqlKind.LESS_THAN
            || k == SqlKind.LESS_THAN_OR_EQUAL
            || k == SqlKind.GREATER_THAN
            || k == SqlKind.GREATER_THAN_OR_EQUAL);
  }

  private static boolean eligible(SqlNode node) {
    if (node instanceof SqlNumericLiteral n) {
      return n.isExact() && n.getValue() instanceof BigDecimal;
    }
    if (node instanceof SqlCharStringLiteral s) {
      NlsString nls = s.getValueAs(NlsString.class);
      return nls.getCharsetName() == null || "ISO-8859-1".equals(nls.getCharsetName());
    }
    return false;
  }

  private static Object value(SqlLiteral literal) {
    if (literal instanceof SqlCharStringLiteral s) {
      return s.getValueAs(NlsString.class).getValue();
    }
    return literal.getValueAs(BigDecimal.class);
  }

  static boolean fits(SqlLiteral literal, Object value, RelDataType type) {
    SqlTypeName t = type.getSqlTypeName();
    if (value instanceof String s) {
      if (t != SqlTypeName.VARCHAR || (!s.isEmpty() && s.charAt(s.length() - 1) == ' ')) {
        return false;
      }
      int precision = type.getPrecision();
      return precision == RelDataType.PRECISION_NOT_SPECIFIED || s.length() <= precision;
    }
    if (!(value instanceof BigDecimal d) || !(literal instanceof SqlNumericLiteral)) {
      return false;
    }
    boolean whole = d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    return switch (t) {
      case TINYINT -> whole && inRange(d, Byte.MIN_VALUE, Byte.MAX_VALUE);
      case SMALLINT -> whole && inRange(d, Short.MIN_VALUE, Short.MAX_VALUE);
      case INTEGER -> whole && inRange(d, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case BIGINT -> whole && inRange(d, Long.MIN_VALUE, Long.MAX_VALUE);
      case DECIMAL -> {
        int scale = type.getScale();
        if (d.scale() > scale) {
          yield false;
        }
        int integerDigits = d.precision() - d.scale();
        yield integerDigits <= type.getPrecision() - scale;
      }
      case DOUBLE, FLOAT -> whole && d.abs().compareTo(MAX_EXACT_DOUBLE) <= 0;
      case REAL -> whole && d.abs().compareTo(MAX_EXACT_FLOAT) <= 0;
      default -> false;
    };
  }

  private static boolean inRange(BigDecimal d, long min, long max) {
    return d.compareTo(BigDecimal.valueOf(min)) >= 0 && d.compareTo(BigDecimal.valueOf(max)) <= 0;
  }
}
