package io.nql.planner.forecast;

import io.nql.planner.plan.HepPlanners;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Intersect;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Minus;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.metadata.RelColumnOrigin;
import org.apache.calcite.rel.metadata.RelMdUtil;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.theta.Intersection;
import org.apache.datasketches.theta.SetOperation;
import org.apache.datasketches.theta.Sketch;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Estimates a query's rows, and the rows it reads through each source, from the sources' {@link
 * Profile}s: on the logical plan before the policy rewrite, after moving the query's filters down
 * to the scans they apply to — the filters a rule's meter counts rows after.
 *
 * <p>A scan's rows under its filters come from {@link Selectivity}. Above the scans: an equi-join
 * keeps {@code |L| × |R| / max(distinct keys)} (distinct keys from the profiles, reduced by the
 * filters), a group-by the product of its keys' distinct values (at most its input), a limit its
 * count; other filters take Calcite's default guess. Only statistics of the caller's sources are
 * read — for a rule, of the rule's own rows.
 */
public final class PlanEstimator {
  /** Where a scanned table's statistics come from. */
  public interface Sources {
    /** The source a table is, or null when it is none (a system table). */
    @Nullable Source source(RelOptTable table);
  }

  /**
   * A source as the estimator needs it.
   *
   * @param key identifies the source in the forecast (one entry per key)
   * @param profile its statistics, or null when it has none
   * @param columnOf per field of the table's row: the profile column, or -1
   * @param constants per field: a value every row has (pseudo-columns), or null
   */
  public record Source(
      String key, @Nullable Profile profile, int[] columnOf, @Nullable Object[] constants) {}

  /** Rows with an interval; a null estimate means unknown (a source without statistics). */
  public record Rows(double rows, double low, double high) {
    static Rows exact(double n) {
      return new Rows(n, n, n);
    }

    Rows scale(double f) {
      return new Rows(rows * f, low * f, high * f);
    }
  }

  /**
   * What a source delivers to the query.
   *
   * @param source the source
   * @param rows its rows after the query's filters on it (and a limit directly above), or null when
   *     it has no statistics
   * @param filter the filters on it, or null
   */
  public record Use(Source source, @Nullable Rows rows, @Nullable RexNode filter) {}

  /**
   * The estimate of a query.
   *
   * @param rows the result's rows, or null when a source has no statistics
   * @param uses per source, what it delivers (sources read more than once merged)
   * @param plan the plan estimated from (filters moved down to the scans)
   */
  public record Estimate(@Nullable Rows rows, Map<String, Use> uses, RelNode plan) {}

  private final Sources sources;
  private final List<Object> parameters;
  private final List<Use> uses = new ArrayList<>();
  private final Map<RelOptTable, Source> resolved = new LinkedHashMap<>();
  private boolean unknown;
  private RelMetadataQuery mq;

  private final Map<String, Double> scale;

  private PlanEstimator(Sources sources, List<Object> parameters, Map<String, Double> scale) {
    this.sources = sources;
    this.parameters = parameters;
    this.scale = scale;
  }

  /**
   * Estimates a logical plan.
   *
   * @param parameters values of the statement's {@code ?} parameters (empty: unknown values)
   */
  public static Estimate estimate(RelNode logical, Sources sources, List<Object> parameters) {
    return estimatePlaced(placeFilters(logical), sources, parameters, Map.of());
  }

  /**
   * Estimates again the plan of an earlier estimate where each source keyed in {@code scale}
   * delivers only that share of its rows (what a budget buys of it).
   */
  public static Estimate again(
      Estimate earlier, Sources sources, List<Object> parameters, Map<String, Double> scale) {
    return estimatePlaced(earlier.plan(), sources, parameters, scale);
  }

  private static Estimate estimatePlaced(
      RelNode plan, Sources sources, List<Object> parameters, Map<String, Double> scale) {
    PlanEstimator e = new PlanEstimator(sources, parameters, scale);
    e.mq = plan.getCluster().getMetadataQuery();
    Rows rows = e.visit(plan);
    Map<String, Use> merged = new LinkedHashMap<>();
    for (Use u : e.uses) {
      Use prior = merged.get(u.source().key());
      merged.put(u.source().key(), prior == null ? u : merge(prior, u));
    }
    return new Estimate(e.unknown ? null : rows, merged, plan);
  }

  /**
   * The same rule read twice is charged once per row: rows read under the same filter count once,
   * under different filters their sum (at most the source's rows).
   */
  private static Use merge(Use a, Use b) {
    if (a.rows() == null || b.rows() == null) {
      return new Use(a.source(), null, a.filter());
    }
    if (a.filter() != null && b.filter() != null && a.filter().equals(b.filter())
        || a.filter() == null && b.filter() == null) {
      return a;
    }
    double all = a.source().profile() == null ? Double.MAX_VALUE : a.source().profile().rows();
    Rows x = a.rows();
    Rows y = b.rows();
    return new Use(
        a.source(),
        new Rows(
            Math.min(all, x.rows() + y.rows()),
            Math.max(x.low(), y.low()),
            Math.min(all, x.high() + y.high())),
        null);
  }

  private static RelNode placeFilters(RelNode logical) {
    HepProgramBuilder program = HepProgram.builder().addMatchOrder(HepMatchOrder.TOP_DOWN);
    program.addRuleCollection(
        List.of(
            CoreRules.FILTER_PROJECT_TRANSPOSE,
            CoreRules.FILTER_INTO_JOIN,
            CoreRules.JOIN_CONDITION_PUSH,
            CoreRules.FILTER_SET_OP_TRANSPOSE,
            CoreRules.FILTER_AGGREGATE_TRANSPOSE,
            CoreRules.FILTER_MERGE));
    program.addRuleInstance(CoreRules.FILTER_REDUCE_EXPRESSIONS);
    try {
      return HepPlanners.run(program.build(), null, logical);
    } catch (RuntimeException e) {
      return logical;
    }
  }

  private @Nullable Source source(TableScan scan) {
    RelOptTable t = scan.getTable();
    if (!resolved.containsKey(t)) {
      resolved.put(t, sources.source(t));
    }
    return resolved.get(t);
  }

  private Rows visit(RelNode node) {
    if (node instanceof TableScan scan) {
      return scan(scan, null);
    }
    if (node instanceof Filter f) {
      if (f.getInput() instanceof TableScan scan && source(scan) != null) {
        return scan(scan, f.getCondition());
      }
      Rows in = visit(f.getInput());
      double s = RelMdUtil.guessSelectivity(f.getCondition());
      return new Rows(in.rows * s, 0, in.high);
    }
    if (node instanceof Project || node instanceof Calc || node instanceof Window) {
      return visit(node.getInput(0));
    }
    if (node instanceof Sort sort) {
      Rows in;
      boolean overScan = scanBelow(sort.getInput()) != null;
      int before = uses.size();
      in = visit(sort.getInput());
      double offset = literal(sort.offset, 0);
      double fetch = literal(sort.fetch, Double.POSITIVE_INFINITY);
      if (sort.fetch == null && sort.offset == null) {
        return in;
      }
      Rows out =
          new Rows(
              clamp(in.rows - offset, fetch),
              clamp(in.low - offset, fetch),
              clamp(in.high - offset, fetch));
      if (overScan
          && uses.size() == before + 1
          && sort.getCollation().getFieldCollations().isEmpty()) {
        // A limit directly above a rule scan stops its meter: only that many rows are read.
        Use u = uses.get(before);
        if (u.rows() != null) {
          double cap = offset + fetch;
          uses.set(
              before,
              new Use(
                  u.source(),
                  new Rows(
                      Math.min(u.rows().rows, cap),
                      Math.min(u.rows().low, cap),
                      Math.min(u.rows().high, cap)),
                  u.filter()));
        }
      }
      return out;
    }
    if (node instanceof Join join) {
      return join(join);
    }
    if (node instanceof Aggregate agg) {
      return aggregate(agg);
    }
    if (node instanceof Union union) {
      double r = 0;
      double lo = 0;
      double hi = 0;
      for (RelNode in : union.getInputs()) {
        Rows x = visit(in);
        r += x.rows;
        lo = union.all ? lo + x.low : Math.max(lo, x.low);
        hi += x.high;
      }
      return new Rows(union.all ? r : r * 0.9, Math.min(lo, r), hi);
    }
    if (node instanceof Intersect || node instanceof Minus) {
      Rows first = null;
      for (RelNode in : node.getInputs()) {
        Rows x = visit(in);
        if (first == null) {
          first = x;
        }
      }
      return new Rows(first.rows * 0.5, 0, first.high);
    }
    if (node instanceof Values v) {
      return Rows.exact(v.getTuples().size());
    }
    if (node instanceof Correlate c) {
      Rows l = visit(c.getLeft());
      Rows r = visit(c.getRight());
      return new Rows(l.rows * Math.max(1, r.rows), 0, l.high * Math.max(1, r.high));
    }
    for (RelNode in : node.getInputs()) {
      visit(in);
    }
    Double n = mq.getRowCount(node);
    return Rows.exact(n == null ? 0 : n);
  }

  private @Nullable TableScan scanBelow(RelNode node) {
    RelNode n = node;
    while (true) {
      if (n instanceof TableScan s) {
        return source(s) == null ? null : s;
      }
      if (n instanceof Filter || n instanceof Project || n instanceof Calc) {
        n = n.getInput(0);
      } else {
        return null;
      }
    }
  }

  private static double clamp(double rows, double fetch) {
    return Math.max(0, Math.min(rows, fetch));
  }

  private static double literal(@Nullable RexNode node, double otherwise) {
    if (node instanceof RexLiteral l) {
      Number n = l.getValueAs(Number.class);
      return n == null ? otherwise : n.doubleValue();
    }
    return otherwise;
  }

  private Rows scan(TableScan scan, @Nullable RexNode filter) {
    Source s = source(scan);
    if (s == null) {
      Double n = mq.getRowCount(scan);
      double rows = n == null ? 0 : n;
      if (filter != null) {
        rows *= RelMdUtil.guessSelectivity(filter);
      }
      return new Rows(rows, 0, rows);
    }
    if (s.profile() == null) {
      unknown = true;
      uses.add(new Use(s, null, filter));
      return Rows.exact(0);
    }
    Selectivity.Rows r =
        new Selectivity(s.profile(), s.columnOf(), s.constants(), parameters).estimate(filter);
    double f = scale.getOrDefault(s.key(), 1.0);
    Rows rows = new Rows(r.rows() * f, r.low() * f, r.high() * f);
    uses.add(new Use(s, rows, filter));
    return rows;
  }

  private Rows join(Join join) {
    Rows l = visit(join.getLeft());
    Rows r = visit(join.getRight());
    JoinInfo info = join.analyzeCondition();
    double inner;
    double innerHigh;
    if (info.leftKeys.isEmpty()) {
      double s =
          join.getCondition().isAlwaysTrue() ? 1 : RelMdUtil.guessSelectivity(join.getCondition());
      inner = l.rows * r.rows * s;
      innerHigh = l.high * r.high;
    } else {
      inner = Double.POSITIVE_INFINITY;
      double best = 1;
      for (int k = 0; k < info.leftKeys.size(); k++) {
        Origin ol = origin(join.getLeft(), info.leftKeys.get(k));
        Origin or = origin(join.getRight(), info.rightKeys.get(k));
        if (ol != null && or != null) {
          // Keys from two profiled columns: the distinct values they share (theta intersection),
          // each matching (rows per distinct value) on both sides, rows without a key excluded.
          ColumnProfile cl = ol.column();
          ColumnProfile cr = or.column();
          double shared = shared(cl, cr);
          double perL = l.rows * nonNullShare(cl) / Math.max(1, cl.ndv());
          double perR = r.rows * nonNullShare(cr) / Math.max(1, cr.ndv());
          inner = Math.min(inner, shared * perL * perR);
        }
        double dl = distinct(join.getLeft(), info.leftKeys.get(k), l.rows);
        double dr = distinct(join.getRight(), info.rightKeys.get(k), r.rows);
        best = Math.max(best, Math.max(dl, dr));
      }
      double residual = info.isEqui() ? 1 : 0.5;
      if (inner == Double.POSITIVE_INFINITY) {
        inner = l.rows * r.rows / best;
      }
      inner *= residual;
      innerHigh = Math.min(l.high * r.high, Math.max(inner * 4, l.high * r.high / best * 4));
    }
    JoinRelType type = join.getJoinType();
    return switch (type) {
      case LEFT -> new Rows(Math.max(inner, l.rows), l.low, Math.max(innerHigh, l.high));
      case RIGHT -> new Rows(Math.max(inner, r.rows), r.low, Math.max(innerHigh, r.high));
      case FULL ->
          new Rows(
              Math.max(inner, l.rows + r.rows),
              Math.max(l.low, r.low),
              innerHigh + l.high + r.high);
      case SEMI -> new Rows(Math.min(l.rows, inner), 0, l.high);
      case ANTI -> new Rows(Math.max(0, l.rows - Math.min(l.rows, inner)), 0, l.high);
      default -> new Rows(inner, inner / 4, innerHigh);
    };
  }

  private Rows aggregate(Aggregate agg) {
    Rows in = visit(agg.getInput());
    if (agg.getGroupSet().isEmpty()) {
      int sets = Math.max(1, agg.getGroupSets().size());
      return Rows.exact(sets);
    }
    double groups = 1;
    // Keys whose values a source's profile lists completely: their combinations in the sample
    // (state and city: as many groups as cities, not states × cities).
    Map<Source, List<Integer>> complete = new LinkedHashMap<>();
    for (int key : agg.getGroupSet()) {
      Origin o = origin(agg.getInput(), key);
      if (o != null && o.column().complete() && o.source().profile() != null) {
        complete.computeIfAbsent(o.source(), x -> new ArrayList<>()).add(o.profileColumn());
        continue;
      }
      double d = distinct(agg.getInput(), key, in.rows);
      // NULL is a group of its own
      groups *= o != null && o.column().nulls() > 0 ? d + 1 : d;
      if (groups > in.rows) {
        break;
      }
    }
    for (Map.Entry<Source, List<Integer>> e : complete.entrySet()) {
      groups *= combinations(e.getKey().profile(), e.getValue());
    }
    double sets = Math.max(1, agg.getGroupSets().size());
    double rows = Math.min(in.rows, groups) * sets;
    double high = Math.min(in.high, groups * 2) * sets;
    return new Rows(rows, Math.min(rows, Math.min(in.low, 1)), Math.max(rows, high));
  }

  /** A column of a plan traced to the profiled column of a source it reads unchanged. */
  private record Origin(Source source, int profileColumn, ColumnProfile column) {}

  private @Nullable Origin origin(RelNode rel, int column) {
    Set<RelColumnOrigin> origins;
    try {
      origins = mq.getColumnOrigins(rel, column);
    } catch (RuntimeException e) {
      return null;
    }
    if (origins == null || origins.size() != 1) {
      return null;
    }
    RelColumnOrigin o = origins.iterator().next();
    Source s =
        resolved.containsKey(o.getOriginTable())
            ? resolved.get(o.getOriginTable())
            : sources.source(o.getOriginTable());
    if (s == null || s.profile() == null || o.isDerived()) {
      return null;
    }
    int c = o.getOriginColumnOrdinal();
    if (c >= s.columnOf().length || s.columnOf()[c] < 0) {
      return null;
    }
    int pc = s.columnOf()[c];
    return new Origin(s, pc, s.profile().columns().get(pc));
  }

  /** Distinct values two columns share: the intersection of their theta sketches. */
  private static double shared(ColumnProfile a, ColumnProfile b) {
    try {
      Intersection i = SetOperation.builder().buildIntersection();
      i.intersect(Sketch.wrap(Memory.wrap(a.theta())));
      i.intersect(Sketch.wrap(Memory.wrap(b.theta())));
      return i.getResult().getEstimate();
    } catch (RuntimeException e) {
      return Math.min(a.ndv(), b.ndv());
    }
  }

  private static double nonNullShare(ColumnProfile c) {
    double all = c.nulls() + c.nonNull();
    return all == 0 ? 0 : c.nonNull() / all;
  }

  /** Distinct combinations of complete columns' values (nulls included) in a profile's sample. */
  private static double combinations(Profile p, List<Integer> columns) {
    if (columns.size() == 1) {
      ColumnProfile c = p.columns().get(columns.get(0));
      return c.values().length + (c.nulls() > 0 ? 1 : 0);
    }
    Set<List<Short>> seen = new java.util.HashSet<>();
    short[][] codes = p.sampleCodes();
    for (int r = 0; r < p.sampleWeights().length; r++) {
      List<Short> combo = new ArrayList<>(columns.size());
      for (int c : columns) {
        combo.add(codes[c][r]);
      }
      seen.add(combo);
    }
    return Math.max(1, seen.size());
  }

  /**
   * Distinct values of a column of {@code rel} that has {@code rows} rows: from the profile of the
   * source column it comes from, reduced for the rows the filters keep; else a tenth of the rows.
   */
  private double distinct(RelNode rel, int column, double rows) {
    Set<RelColumnOrigin> origins;
    try {
      origins = mq.getColumnOrigins(rel, column);
    } catch (RuntimeException e) {
      origins = null;
    }
    if (origins != null && origins.size() == 1) {
      RelColumnOrigin o = origins.iterator().next();
      Source s =
          resolved.containsKey(o.getOriginTable())
              ? resolved.get(o.getOriginTable())
              : sources.source(o.getOriginTable());
      if (s != null && s.profile() != null && !o.isDerived()) {
        int c = o.getOriginColumnOrdinal();
        if (c < s.columnOf().length && s.columnOf()[c] >= 0) {
          Profile p = s.profile();
          double d = Math.max(1, p.columns().get(s.columnOf()[c]).ndv());
          double n = Math.max(1, p.rows());
          double k = Math.min(n, Math.max(0, rows));
          // Cardenas: distinct values left when k of n rows are kept.
          return Math.max(1, d * (1 - Math.pow(1 - k / n, n / d)));
        }
        if (c < s.constants().length && s.constants()[c] != null) {
          return 1;
        }
      }
    }
    return Math.max(1, rows / 10);
  }
}
