package io.nql.planner.policy;

import io.nql.planner.plan.RowCap;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.SqlExplainLevel;

/**
 * Meters the rows a rule delivers to the caller's query: every row that leaves it is counted
 * against the statement's budget and priced at the rule's price; when the next row would exceed the
 * budget, it ends the stream. It sits above the caller's own filters on the rule scan, so the
 * caller pays for the rows those filters keep. Nothing moves across it but filters, downwards.
 */
public abstract class RuleMeter extends SingleRel {
  private final RuleRef rule;
  private final RowCap maxRows;
  private final boolean rowIds;

  protected RuleMeter(
      RelOptCluster cluster,
      RelTraitSet traits,
      RelNode input,
      RuleRef rule,
      RowCap maxRows,
      boolean rowIds) {
    super(cluster, traits, input);
    this.rule = rule;
    this.maxRows = maxRows;
    this.rowIds = rowIds;
  }

  /**
   * Whether the input's last column is the row id ({@code _row_id}): the meter then charges each
   * row once per statement, however often it is read, and does not pass the id on.
   */
  public boolean rowIds() {
    return rowIds;
  }

  @Override
  protected RelDataType deriveRowType() {
    RelDataType in = getInput().getRowType();
    if (!rowIds) {
      return in;
    }
    List<RelDataTypeField> fields = in.getFieldList();
    return getCluster().getTypeFactory().createStructType(fields.subList(0, fields.size() - 1));
  }

  /**
   * The most rows the caller's query can take from this scan ({@code LIMIT} directly above it), or
   * {@link RowCap#NONE}: the meter stops there without pulling, and charging, one more row.
   */
  public RowCap maxRows() {
    return maxRows;
  }

  /** The rule whose rows this meter counts. */
  public RuleRef rule() {
    return rule;
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    if (pw.getDetailLevel() == SqlExplainLevel.DIGEST_ATTRIBUTES) {
      // the digest names everything the meter's generated code holds (see CompiledPlans.digest)
      pw.item("rule_id", rule.ruleId()).item("rule_version", rule.version());
    }
    return super.explainTerms(pw)
        .item("rule", rule.qualifiedName())
        .item("price_cpm_usd", rule.priceCpmUsd().toPlainString())
        .itemIf("max_rows", maxRows, maxRows.isCapped())
        .itemIf("row_ids", true, rowIds);
  }

  /** The logical meter, as the rewriter creates it. */
  public static final class Logical extends RuleMeter {
    public Logical(
        RelOptCluster cluster,
        RelTraitSet traits,
        RelNode input,
        RuleRef rule,
        RowCap maxRows,
        boolean rowIds) {
      super(cluster, traits, input, rule, maxRows, rowIds);
    }

    /** A logical meter over a rule scan, with a row cap, reading row ids or not. */
    public static Logical create(RelNode input, RuleRef rule, RowCap maxRows, boolean rowIds) {
      return new Logical(input.getCluster(), input.getTraitSet(), input, rule, maxRows, rowIds);
    }

    /** This meter over another input (of the same columns), with a cap. */
    public Logical over(RelNode input, RowCap cap) {
      return create(input, rule(), cap, rowIds());
    }

    @Override
    public String getRelTypeName() {
      // The nested class's simple name ("Logical") would not say which node this is in a plan.
      return "LogicalRuleMeter";
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
      return new Logical(getCluster(), traitSet, sole(inputs), rule(), maxRows(), rowIds());
    }

    @Override
    public void register(org.apache.calcite.plan.RelOptPlanner planner) {
      PolicyRules.registerPhysical(planner);
    }
  }
}
