package io.nql.planner.iceberg;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.iceberg.types.Types;

/**
 * Text of a pushed conjunct with {@code ?} parameters for plans ({@code EXPLAIN}, digests), in the
 * style of Iceberg's own expression text: {@code ref(name="id") == ?0}.
 */
final class PushedText {
  private PushedText() {}

  /** The text of {@code node}, whose input references are indices into {@code columns}. */
  static String of(RexNode node, List<Types.NestedField> columns) {
    if (node instanceof RexInputRef ref) {
      return "ref(name=\"" + columns.get(ref.getIndex()).name() + "\")";
    }
    if (node instanceof RexDynamicParam param) {
      return "?" + param.getIndex();
    }
    if (!(node instanceof RexCall call)) {
      return node.toString();
    }
    List<RexNode> operands = call.getOperands();
    return switch (call.getKind()) {
      case AND -> join(operands, " and ", columns);
      case OR -> join(operands, " or ", columns);
      case NOT -> "not(" + of(operands.get(0), columns) + ")";
      case IS_NULL -> "is_null(" + of(operands.get(0), columns) + ")";
      case IS_NOT_NULL -> "not_null(" + of(operands.get(0), columns) + ")";
      case EQUALS -> binary(operands, "==", columns);
      case NOT_EQUALS -> binary(operands, "!=", columns);
      case LESS_THAN -> binary(operands, "<", columns);
      case LESS_THAN_OR_EQUAL -> binary(operands, "<=", columns);
      case GREATER_THAN -> binary(operands, ">", columns);
      case GREATER_THAN_OR_EQUAL -> binary(operands, ">=", columns);
      case LIKE -> binary(operands, "like", columns);
      default -> call.toString();
    };
  }

  private static String binary(List<RexNode> operands, String op, List<Types.NestedField> columns) {
    return of(operands.get(0), columns) + " " + op + " " + of(operands.get(1), columns);
  }

  private static String join(List<RexNode> operands, String op, List<Types.NestedField> columns) {
    return operands.stream().map(o -> of(o, columns)).collect(Collectors.joining(op, "(", ")"));
  }
}
