package io.nql.planner.vector;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.util.TransferPair;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLocalRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.rex.RexVisitorImpl;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One Calc (filter and projection) over batches: evaluates the condition on every row, keeps the
 * rows where it is TRUE, then computes the projections on the kept rows only. Projected input
 * fields share the input's buffers instead of being copied.
 */
final class VectorCalc {
  private final @Nullable Predicate condition;
  private final List<@Nullable Operand> computed;

  /** {@link #inputRefs} of an output nothing reads: it is left null. */
  private static final int UNUSED = -2;

  private final int[] inputRefs;
  private final List<String> names;

  /** Per input column: whether a projection reads it (only those are compacted). */
  private final boolean[] needed;

  /** Per output: an input reference no other output references (its vector can be moved). */
  private final boolean[] singleUse;

  private VectorCalc(
      @Nullable Predicate condition,
      List<@Nullable Operand> computed,
      int[] inputRefs,
      List<String> names,
      boolean[] needed) {
    this.needed = needed;
    this.condition = condition;
    this.computed = computed;
    this.inputRefs = inputRefs;
    this.names = names;
    this.singleUse = new boolean[inputRefs.length];
    for (int j = 0; j < inputRefs.length; j++) {
      int uses = 0;
      for (int r : inputRefs) {
        if (r == inputRefs[j]) {
          uses++;
        }
      }
      singleUse[j] = inputRefs[j] >= 0 && uses == 1;
    }
  }

  /**
   * Compiles a Calc, its {@code ?} parameters NULL (to check that it compiles: its shape does not
   * depend on their values).
   *
   * @throws UnsupportedOperationException when an expression or type is not supported
   */
  static VectorCalc compile(Calc calc) {
    return compile(calc, index -> null, null);
  }

  /**
   * Compiles a Calc for one execution, with the values of its {@code ?} parameters.
   *
   * @param parameters the value of parameter {@code i}, as the row engine reads it
   * @throws UnsupportedOperationException when an expression, type or parameter value is not
   *     supported
   */
  static VectorCalc compile(
      Calc calc, IntFunction<Object> parameters, boolean @Nullable [] usedOutputs) {
    RexProgram program = calc.getProgram();
    List<RelDataType> inputTypes = new ArrayList<>();
    for (RelDataTypeField f : program.getInputRowType().getFieldList()) {
      if (!VectorTypes.supported(f.getType())) {
        throw new UnsupportedOperationException("input type " + f.getType());
      }
      inputTypes.add(f.getType());
    }
    ExprCompiler compiler = new ExprCompiler(inputTypes, parameters);
    var rexBuilder = calc.getCluster().getRexBuilder();
    Predicate condition = null;
    if (program.getCondition() != null) {
      RexNode c = program.expandLocalRef(program.getCondition());
      condition = compiler.predicate(RexUtil.expandSearch(rexBuilder, null, c));
    }
    List<Operand> computed = new ArrayList<>();
    List<RexLocalRef> projects = program.getProjectList();
    int[] refs = new int[projects.size()];
    List<String> names = program.getOutputRowType().getFieldNames();
    boolean[] needed = new boolean[inputTypes.size()];
    for (int j = 0; j < projects.size(); j++) {
      RexNode e = RexUtil.expandSearch(rexBuilder, null, program.expandLocalRef(projects.get(j)));
      if (!VectorTypes.supported(e.getType())) {
        throw new UnsupportedOperationException("output type " + e.getType());
      }
      if (usedOutputs != null && !usedOutputs[j]) {
        // nothing downstream reads it: not computed, not copied (a null column)
        refs[j] = UNUSED;
        computed.add(null);
        continue;
      }
      for (int used : RelOptUtil.InputFinder.bits(e)) {
        needed[used] = true;
      }
      if (e instanceof RexInputRef ref) {
        refs[j] = ref.getIndex();
        computed.add(null);
      } else {
        refs[j] = -1;
        computed.add(compiler.operand(e));
      }
    }
    return new VectorCalc(condition, computed, refs, names, needed);
  }

  /**
   * The input columns a Calc reads to give the outputs {@code usedOutputs} (all when null): those
   * of its condition and of those outputs' expressions.
   */
  static boolean[] inputsRead(Calc calc, boolean @Nullable [] usedOutputs) {
    RexProgram program = calc.getProgram();
    boolean[] read = new boolean[program.getInputRowType().getFieldCount()];
    if (program.getCondition() != null) {
      for (int i : RelOptUtil.InputFinder.bits(program.expandLocalRef(program.getCondition()))) {
        read[i] = true;
      }
    }
    List<RexLocalRef> projects = program.getProjectList();
    for (int j = 0; j < projects.size(); j++) {
      if (usedOutputs == null || usedOutputs[j]) {
        for (int i : RelOptUtil.InputFinder.bits(program.expandLocalRef(projects.get(j)))) {
          read[i] = true;
        }
      }
    }
    return read;
  }

  /** Whether a Calc's expressions read {@code ?} parameters. */
  static boolean hasParameters(Calc calc) {
    boolean[] found = {false};
    RexVisitorImpl<Void> finder =
        new RexVisitorImpl<>(true) {
          @Override
          public Void visitDynamicParam(RexDynamicParam param) {
            found[0] = true;
            return null;
          }
        };
    for (RexNode e : calc.getProgram().getExprList()) {
      e.accept(finder);
    }
    return found[0];
  }

  /** Whether the Calc keeps every row (no condition). */
  boolean isProjection() {
    return condition == null;
  }

  /** Applies the Calc to a batch, which it closes. */
  Batch apply(Batch in, BufferAllocator allocator) {
    try (in) {
      Batch source = in;
      Batch compacted = null;
      if (condition != null) {
        byte[] result = new byte[in.rows];
        condition.eval(in, result);
        int kept = 0;
        for (int i = 0; i < in.rows; i++) {
          if (result[i] == Predicate.TRUE) {
            kept++;
          }
        }
        if (kept < in.rows) {
          int[] selection = new int[kept];
          int k = 0;
          for (int i = 0; i < in.rows; i++) {
            if (result[i] == Predicate.TRUE) {
              selection[k++] = i;
            }
          }
          compacted = Selections.compact(in, selection, needed, allocator);
          source = compacted;
        }
      }
      try {
        return project(source, allocator);
      } finally {
        if (compacted != null) {
          compacted.close();
        }
      }
    }
  }

  private Batch project(Batch source, BufferAllocator allocator) {
    FieldVector[] out = new FieldVector[inputRefs.length];
    boolean done = false;
    try {
      // computed columns first: they read the input vectors that the references may move below
      for (int j = 0; j < out.length; j++) {
        if (inputRefs[j] == -1) {
          out[j] = VectorWriter.materialize(names.get(j), computed.get(j), source, allocator);
        }
      }
      for (int j = 0; j < out.length; j++) {
        if (inputRefs[j] >= 0) {
          FieldVector v = source.vectors[inputRefs[j]];
          TransferPair pair = v.getTransferPair(names.get(j), allocator);
          if (singleUse[j] && v.getValueCount() == source.rows) {
            // moves the buffers as they are (the source batch is closed afterwards)
            pair.transfer();
          } else {
            // shares the buffers (reference counted); the source batch is closed afterwards
            pair.splitAndTransfer(0, source.rows);
          }
          out[j] = (FieldVector) pair.getTo();
        }
      }
      done = true;
      return new Batch(out, source.rows);
    } finally {
      if (!done) {
        new Batch(out, 0).close();
      }
    }
  }
}
