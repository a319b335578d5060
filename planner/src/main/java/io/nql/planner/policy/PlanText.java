package io.nql.planner.policy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.externalize.RelWriterImpl;
import org.apache.calcite.sql.SqlExplainLevel;
import org.apache.calcite.util.Pair;

/**
 * Plan text for {@code EXPLAIN PLAN FOR}. A rule the caller does not own is shown as one opaque
 * {@code RuleScan} line: no predicate text, no dataset, nothing below its barrier.
 */
public final class PlanText {
  private PlanText() {}

  /** The plan as indented text, with other companies' rules opaque. */
  public static String of(RelNode plan) {
    StringWriter sw = new StringWriter();
    PrintWriter pw = new PrintWriter(sw);
    plan.explain(new Writer(pw));
    pw.flush();
    return sw.toString().trim();
  }

  private static final class Writer extends RelWriterImpl {
    Writer(PrintWriter pw) {
      super(pw, SqlExplainLevel.EXPPLAN_ATTRIBUTES, false);
    }

    @Override
    protected void explain_(RelNode rel, List<Pair<String, Object>> values) {
      if (rel instanceof RuleBarrier barrier && !barrier.rule().ownedByCaller()) {
        pw.println(
            spacer
                + "RuleScan(rule=["
                + barrier.rule().qualifiedName()
                + "], version=["
                + barrier.rule().version()
                + "])");
        return;
      }
      super.explain_(rel, values);
    }
  }
}
