package io.nql.planner.policy;

import com.google.common.base.Suppliers;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.RowIds;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.plan.RowCap;
import io.nql.planner.plan.SqlToRel;
import io.nql.planner.rosetta.Attribute;
import io.nql.planner.rosetta.AttributeType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptSchema;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.prepare.RelOptTableImpl;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rel.logical.LogicalUnion;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.ImmutableBitSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code rosetta_stone} table: one standardized table of attributes over every source the caller
 * may read — its own datasets ({@code company_data.rosetta_stone}), or the access rules other
 * companies share with it ({@code <slug>.rosetta_stone}, {@code narrative.rosetta_stone}). Its
 * columns are the catalog's attributes, then the pseudo-columns. A scan of it is a placeholder that
 * {@link PolicyRewriter} replaces with {@link #expand}: per source, the source's rule scan
 * projected through the dataset's mapping expressions, under the rule's barrier and meter, then the
 * union of the sources.
 *
 * <p>What a source offers: a rule offers an attribute when the rule passes through, unchanged,
 * every column one of the attribute's mapping expressions reads (so nothing the rule hides enters a
 * value); a source contributes rows only when it offers every attribute the statement uses. A
 * dataset row offered by several rules is delivered once, through the cheapest of them (then the
 * lowest rule id): each rule's rows exclude the rows of the cheaper rules that offer the same
 * attributes over the same dataset, a condition evaluated inside the rule's barrier, so the row is
 * charged once, at the lowest price. When several mappings of one source give one attribute, a row
 * contributes one row per mapping whose value is not null (one row with NULL when all are).
 */
public final class RosettaTable extends AbstractTable {
  private static final Logger LOG = LoggerFactory.getLogger(RosettaTable.class);

  /** The name of the table in every schema that has one. */
  public static final String NAME = "rosetta_stone";

  /**
   * The name of its browsing variant, which {@code SELECT *} over {@code rosetta_stone} reads:
   * every attribute is optional (NULL where a source does not offer it), and a source contributes
   * when it offers at least one attribute the statement reads.
   */
  public static final String BROWSE_NAME = "rosetta_stone$browse";

  /** One stored mapping expression of a dataset. */
  public record MappingExpr(String attribute, int ordinal, String property, String expression) {}

  /**
   * One source: a rule shared with the caller, or (with {@code rule} null) one of the caller's own
   * datasets, read free.
   *
   * @param rule the rule table as the caller reaches it, or null for an own dataset
   * @param datasetId the dataset the mappings are on
   * @param companyId the providing company
   * @param namespace the provider's namespace (the dataset under {@code company_data})
   * @param mappings the dataset's mapping expressions
   */
  public record Source(
      RuleTable rule,
      long datasetId,
      long companyId,
      Supplier<SchemaPlus> namespace,
      List<MappingExpr> mappings) {
    public Source {
      mappings = List.copyOf(mappings);
    }
  }

  private final String qualifiedName;
  private final boolean ownData;
  private final boolean browse;
  private final Supplier<List<Attribute>> attributes;
  private final Supplier<List<Source>> sources;

  /**
   * @param qualifiedName the name the caller uses, for messages
   * @param ownData whether the sources are the caller's own datasets (else rules shared with it)
   * @param browse whether every attribute is optional (see {@link #BROWSE_NAME})
   * @param attributes the catalog (read once, when the statement first needs it)
   * @param sources the sources (read once, when the statement is planned)
   */
  public RosettaTable(
      String qualifiedName,
      boolean ownData,
      boolean browse,
      Supplier<List<Attribute>> attributes,
      Supplier<List<Source>> sources) {
    this.qualifiedName = qualifiedName;
    this.ownData = ownData;
    this.browse = browse;
    this.attributes = Suppliers.memoize(attributes::get);
    this.sources = Suppliers.memoize(sources::get);
  }

  /** The browsing variant of this table, over the same attributes and sources. */
  public RosettaTable browsing() {
    return new RosettaTable(qualifiedName, ownData, true, attributes, sources);
  }

  /** The attributes, in column order. */
  public List<Attribute> attributes() {
    return attributes.get();
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory f) {
    RelDataTypeFactory.Builder b = f.builder();
    for (Attribute a : attributes.get()) {
      b.add(a.name(), a.sqlType(f));
    }
    b.add(
        PseudoColumns.PRICE_CPM_USD,
        f.createSqlType(
            SqlTypeName.DECIMAL, PseudoColumns.PRICE_PRECISION, PseudoColumns.PRICE_SCALE));
    b.add(PseudoColumns.SOURCE_COMPANY_ID, f.createSqlType(SqlTypeName.BIGINT));
    // Own datasets are read without a rule: there the rule id is NULL.
    b.add(
        PseudoColumns.ACCESS_RULE_ID,
        f.createTypeWithNullability(f.createSqlType(SqlTypeName.BIGINT), ownData));
    return b.build();
  }

  /** One mapping of an attribute on a dataset: its property expressions over the scan row. */
  private record Instance(int ordinal, Map<String, RexNode> values) {
    ImmutableBitSet columns() {
      return RelOptUtil.InputFinder.bits(List.copyOf(values.values()), null);
    }
  }

  /** A source that offers every attribute the statement uses, with how. */
  private record Offer(Source source, RowShape shape, Map<String, List<Instance>> instances) {
    BigDecimal price() {
      return source.rule() == null ? BigDecimal.ZERO : source.rule().rule().priceCpmUsd();
    }

    long ruleId() {
      return source.rule() == null ? 0 : source.rule().rule().ruleId();
    }
  }

  /**
   * The plan that replaces a scan of this table.
   *
   * @param used the columns the statement reads (attributes it needs, pseudo-columns)
   * @param rowIds whether rule scans carry row ids to their meters (see {@link PolicyRewriter})
   */
  public RelNode expand(RelOptCluster cluster, ImmutableBitSet used, boolean rowIds) {
    RelDataType rowType = getRowType(cluster.getTypeFactory());
    List<Attribute> attrs = attributes.get();
    List<Attribute> needed = new ArrayList<>();
    for (int i = 0; i < attrs.size(); i++) {
      if (used.get(i)) {
        needed.add(attrs.get(i));
      }
    }
    Map<Long, List<Source>> byDataset = new LinkedHashMap<>();
    for (Source s : sources.get()) {
      byDataset.computeIfAbsent(s.datasetId(), k -> new ArrayList<>()).add(s);
    }
    List<RelNode> branches = new ArrayList<>();
    for (List<Source> group : byDataset.values()) {
      List<Offer> offers = new ArrayList<>();
      for (Source s : group) {
        offer(cluster, s, needed).ifPresent(offers::add);
      }
      offers.sort(Comparator.comparing(Offer::price).thenComparingLong(Offer::ruleId));
      for (int i = 0; i < offers.size(); i++) {
        branches.addAll(
            branches(cluster, rowType, attrs, offers.get(i), offers.subList(0, i), rowIds));
      }
    }
    if (branches.isEmpty()) {
      return LogicalValues.createEmpty(cluster, rowType);
    }
    return branches.size() == 1 ? branches.get(0) : LogicalUnion.create(branches, true);
  }

  /** What a source offers of the needed attributes, or empty when it lacks one. */
  private Optional<Offer> offer(RelOptCluster cluster, Source s, List<Attribute> needed) {
    List<MappingExpr> exprs = new ArrayList<>();
    for (MappingExpr m : s.mappings()) {
      if (needed.stream().anyMatch(a -> a.name().equals(m.attribute()))) {
        exprs.add(m);
      }
    }
    RowShape shape;
    Map<String, List<Instance>> instances = new LinkedHashMap<>();
    if (s.rule() != null) {
      shape = s.rule().shape(cluster);
    } else {
      shape = null;
    }
    Optional<RowShape> mapped = mappingShape(cluster, s, exprs);
    if (mapped.isEmpty()) {
      return Optional.empty();
    }
    if (shape == null) {
      RowShape m = mapped.get();
      shape = new RowShape(m.scan(), cluster.getRexBuilder().makeLiteral(true), List.of());
    } else if (!shape.sameScan(mapped.get())) {
      return Optional.empty();
    }
    Set<Integer> exposed = s.rule() == null ? null : shape.passedThrough().keySet();
    for (Attribute a : needed) {
      Map<Integer, Map<String, RexNode>> byOrdinal = new LinkedHashMap<>();
      for (int i = 0; i < exprs.size(); i++) {
        MappingExpr m = exprs.get(i);
        if (m.attribute().equals(a.name())) {
          byOrdinal
              .computeIfAbsent(m.ordinal(), k -> new LinkedHashMap<>())
              .put(m.property() == null ? "" : m.property(), mapped.get().outputs().get(i));
        }
      }
      List<Instance> usable = new ArrayList<>();
      for (Map.Entry<Integer, Map<String, RexNode>> e : byOrdinal.entrySet()) {
        Instance inst = new Instance(e.getKey(), e.getValue());
        boolean visible =
            exposed == null || inst.columns().asList().stream().allMatch(exposed::contains);
        if (visible) {
          usable.add(inst);
        }
      }
      if (usable.isEmpty()) {
        if (!browse) {
          return Optional.empty();
        }
        continue; // browsing: an attribute the source does not offer is NULL
      }
      instances.put(a.name(), usable);
    }
    return Optional.of(new Offer(s, shape, instances));
  }

  /**
   * The mapping expressions over the dataset's scan, compiled in the provider's namespace. A
   * mapping that no longer compiles (its dataset changed) is left out, with a log line.
   */
  private Optional<RowShape> mappingShape(
      RelOptCluster cluster, Source s, List<MappingExpr> exprs) {
    StringBuilder sql = new StringBuilder("SELECT ");
    if (exprs.isEmpty()) {
      sql.append("1 AS \"m\"");
    }
    for (int i = 0; i < exprs.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append('(').append(exprs.get(i).expression()).append(")");
      sql.append(" AS \"m").append(i).append('"');
    }
    sql.append(" FROM company_data.\"").append(s.datasetId()).append('"');
    try {
      SqlToRel.Validated v =
          SqlToRel.validate(
              NqlParser.parse(sql.toString()),
              s.namespace().get(),
              (JavaTypeFactory) cluster.getTypeFactory());
      RelRoot root = SqlToRel.converter(v, cluster).convertQuery(v.node(), false, true);
      return RowShape.of(root.project());
    } catch (RuntimeException e) {
      LOG.warn(
          "Rosetta Stone mappings of dataset {} do not compile; the dataset offers nothing: {}",
          s.datasetId(),
          e.getMessage());
      return Optional.empty();
    }
  }

  /** The branches of one offer: one per combination of the mappings of its attributes. */
  private List<RelNode> branches(
      RelOptCluster cluster,
      RelDataType rowType,
      List<Attribute> attrs,
      Offer offer,
      List<Offer> cheaper,
      boolean rowIds) {
    RexBuilder rex = cluster.getRexBuilder();
    List<RexNode> base = List.of(offer.shape().condition());
    List<Map<String, Choice>> combos = combos(rex, offer);
    List<RelNode> out = new ArrayList<>();
    for (Map<String, Choice> combo : combos) {
      List<RexNode> conds = new ArrayList<>(base);
      for (Offer c : cheaper) {
        // browsing, every rule delivers each of its rows (what it does not offer is NULL)
        if (browse || delivers(c, offer, combo)) {
          // the rows a cheaper rule delivers are not delivered (nor charged) again through this one
          conds.add(rex.makeCall(SqlStdOperatorTable.IS_NOT_TRUE, c.shape().condition()));
        }
      }
      out.add(branch(cluster, rowType, attrs, offer, conds, combo, rowIds));
    }
    return out;
  }

  /**
   * The combinations of an offer's mappings, one per branch: an attribute with one mapping gives
   * it; one with several gives each mapping on the rows where it is not null, and NULL on the rows
   * where all are.
   */
  private static List<Map<String, Choice>> combos(RexBuilder rex, Offer offer) {
    List<Map<String, Choice>> combos = new ArrayList<>();
    combos.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<Instance>> e : offer.instances().entrySet()) {
      List<Choice> choices = new ArrayList<>();
      List<Instance> all = e.getValue();
      if (all.size() == 1) {
        choices.add(new Choice(all.get(0), List.of()));
      } else {
        for (Instance inst : all) {
          choices.add(new Choice(inst, List.of(notNull(rex, inst))));
        }
        List<RexNode> allNull = new ArrayList<>();
        for (Instance inst : all) {
          allNull.add(rex.makeCall(SqlStdOperatorTable.NOT, notNull(rex, inst)));
        }
        choices.add(new Choice(null, allNull));
      }
      List<Map<String, Choice>> next = new ArrayList<>();
      for (Map<String, Choice> combo : combos) {
        for (Choice c : choices) {
          Map<String, Choice> m = new LinkedHashMap<>(combo);
          m.put(e.getKey(), c);
          next.add(m);
        }
      }
      combos = next;
    }
    return combos;
  }

  /**
   * Whether a cheaper offer over the same dataset delivers the same standardized rows as one branch
   * of another offer: for each attribute, it offers the mapping the branch chose (or, for the
   * branch of rows whose mappings are all null, only mappings among the branch offer's).
   */
  private static boolean delivers(Offer cheaper, Offer offer, Map<String, Choice> combo) {
    for (Map.Entry<String, Choice> e : combo.entrySet()) {
      Set<Integer> theirs = ordinals(cheaper.instances().get(e.getKey()));
      Instance chosen = e.getValue().instance();
      if (chosen == null
          ? !ordinals(offer.instances().get(e.getKey())).containsAll(theirs)
          : !theirs.contains(chosen.ordinal())) {
        return false;
      }
    }
    return true;
  }

  private static Set<Integer> ordinals(List<Instance> instances) {
    Set<Integer> out = new HashSet<>();
    if (instances == null) {
      return out; // (browsing) the offer does not give the attribute
    }
    for (Instance i : instances) {
      out.add(i.ordinal());
    }
    return out;
  }

  /** The mapping chosen for an attribute in one branch (null: the all-null row), and its filter. */
  private record Choice(Instance instance, List<RexNode> conditions) {}

  private static RexNode notNull(RexBuilder rex, Instance inst) {
    List<RexNode> any = new ArrayList<>();
    for (RexNode v : inst.values().values()) {
      any.add(rex.makeCall(SqlStdOperatorTable.IS_NOT_NULL, v));
    }
    return RexUtil.composeDisjunction(rex, any);
  }

  /**
   * An attribute's value in one branch, of the table's column type: the chosen mapping (each
   * expression passed through {@code remap}), or NULL.
   */
  private static RexNode value(
      RexBuilder rex,
      Attribute a,
      RelDataType type,
      Map<String, Choice> combo,
      UnaryOperator<RexNode> remap) {
    Choice c = combo.get(a.name());
    RexNode value;
    if (c == null || c.instance() == null) {
      value = rex.makeNullLiteral(type);
    } else if (a.type() == AttributeType.OBJECT) {
      List<RexNode> props = new ArrayList<>();
      List<RelDataTypeField> propFields = type.getFieldList();
      for (int p = 0; p < a.properties().size(); p++) {
        RexNode v = c.instance().values().get(a.properties().get(p).name());
        RelDataType pt = propFields.get(p).getType();
        props.add(
            v == null ? rex.makeNullLiteral(pt) : rex.makeCast(pt, remap.apply(v), true, false));
      }
      value = rex.makeCall(type, SqlStdOperatorTable.ROW, props);
    } else {
      value = rex.makeCast(type, remap.apply(c.instance().values().get("")), true, false);
    }
    return rex.ensureType(type, value, true);
  }

  private RelNode branch(
      RelOptCluster cluster,
      RelDataType rowType,
      List<Attribute> attrs,
      Offer offer,
      List<RexNode> base,
      Map<String, Choice> combo,
      boolean rowIds) {
    RexBuilder rex = cluster.getRexBuilder();
    RuleTable rule = offer.source().rule();
    boolean withIds = rowIds && rule != null;
    RelNode scan =
        (rule == null ? offer.shape().scan() : rule.servingScan(offer.shape().scan(), withIds))
            .rel();
    List<RexNode> conds = new ArrayList<>(base);
    for (Choice c : combo.values()) {
      conds.addAll(c.conditions());
    }
    RexNode condition = RexUtil.composeConjunction(rex, conds);
    RelNode input = scan;
    if (!condition.isAlwaysTrue()) {
      input = LogicalFilter.create(scan, condition);
    }
    List<RelDataTypeField> fields = rowType.getFieldList();
    List<RexNode> exprs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < attrs.size(); i++) {
      exprs.add(value(rex, attrs.get(i), fields.get(i).getType(), combo, e -> e));
      names.add(attrs.get(i).name());
    }
    int p = attrs.size();
    BigDecimal price = offer.price();
    exprs.add(
        rex.makeExactLiteral(price.setScale(PseudoColumns.PRICE_SCALE), fields.get(p).getType()));
    exprs.add(
        rex.makeExactLiteral(
            BigDecimal.valueOf(offer.source().companyId()), fields.get(p + 1).getType()));
    exprs.add(
        rule == null
            ? rex.makeNullLiteral(fields.get(p + 2).getType())
            : rex.makeExactLiteral(
                BigDecimal.valueOf(rule.rule().ruleId()), fields.get(p + 2).getType()));
    names.addAll(PseudoColumns.ALL);
    if (withIds) {
      exprs.add(RexInputRef.of(scan.getRowType().getFieldCount() - 1, scan.getRowType()));
      names.add(RowIds.COLUMN);
    }
    RelNode projected = LogicalProject.create(input, List.of(), exprs, names, java.util.Set.of());
    if (rule == null) {
      return projected;
    }
    return RuleMeter.Logical.create(
        RuleBarrier.Logical.create(projected, rule.rule()), rule.rule(), RowCap.NONE, withIds);
  }

  /**
   * For forecasts: the plan of a scan of this table over the sources' own tables — per source, the
   * rule's table (or the own dataset) projected through the mapping expressions, unioned. Rows that
   * several rules offer are counted once per rule: without the lowest-price de-duplication (whose
   * condition reads columns the rules hide), the forecast is an upper bound of what is delivered.
   *
   * @param relOptSchema where the rule tables' scans are registered (the scan's schema)
   */
  public RelNode forecastPlan(
      RelOptCluster cluster, ImmutableBitSet used, RelOptSchema relOptSchema) {
    RexBuilder rex = cluster.getRexBuilder();
    RelDataType rowType = getRowType(cluster.getTypeFactory());
    List<Attribute> attrs = attributes.get();
    List<Attribute> needed = new ArrayList<>();
    for (int i = 0; i < attrs.size(); i++) {
      if (used.get(i)) {
        needed.add(attrs.get(i));
      }
    }
    List<RelNode> branches = new ArrayList<>();
    for (Source s : sources.get()) {
      Optional<Offer> o = offer(cluster, s, needed);
      if (o.isEmpty()) {
        continue;
      }
      Offer offer = o.get();
      RelNode scan;
      UnaryOperator<RexNode> remap;
      List<RexNode> pseudo;
      if (s.rule() == null) {
        scan = offer.shape().scan().rel();
        remap = e -> e;
        RelDataTypeField[] f = rowType.getFieldList().toArray(new RelDataTypeField[0]);
        int p = attrs.size();
        pseudo =
            List.of(
                rex.makeExactLiteral(BigDecimal.ZERO.setScale(2), f[p].getType()),
                rex.makeExactLiteral(BigDecimal.valueOf(s.companyId()), f[p + 1].getType()),
                rex.makeNullLiteral(f[p + 2].getType()));
      } else {
        RuleRef ref = s.rule().rule();
        RelDataType ruleType = s.rule().getRowType(cluster.getTypeFactory());
        scan =
            LogicalTableScan.create(
                cluster,
                RelOptTableImpl.create(
                    relOptSchema,
                    ruleType,
                    List.of(ref.ownerSlug(), ref.name()),
                    s.rule(),
                    clazz -> {
                      // estimated, never executed
                      throw new IllegalStateException("a forecast plan is not executed");
                    }),
                List.of());
        Map<Integer, Integer> out = offer.shape().passedThrough();
        remap =
            e ->
                e.accept(
                    new RexShuttle() {
                      @Override
                      public RexNode visitInputRef(RexInputRef r) {
                        return RexInputRef.of(out.get(r.getIndex()), ruleType);
                      }
                    });
        int n = ruleType.getFieldCount();
        pseudo =
            List.of(
                RexInputRef.of(n - 3, ruleType),
                RexInputRef.of(n - 2, ruleType),
                RexInputRef.of(n - 1, ruleType));
      }
      for (Map<String, Choice> combo : combos(rex, offer)) {
        List<RexNode> conds = new ArrayList<>();
        for (Choice c : combo.values()) {
          c.conditions().forEach(x -> conds.add(remap.apply(x)));
        }
        RexNode condition = RexUtil.composeConjunction(rex, conds);
        RelNode input = condition.isAlwaysTrue() ? scan : LogicalFilter.create(scan, condition);
        List<RexNode> exprs = new ArrayList<>();
        List<RelDataTypeField> fields = rowType.getFieldList();
        for (int i = 0; i < attrs.size(); i++) {
          exprs.add(value(rex, attrs.get(i), fields.get(i).getType(), combo, remap));
        }
        for (int k = 0; k < 3; k++) {
          exprs.add(rex.ensureType(fields.get(attrs.size() + k).getType(), pseudo.get(k), true));
        }
        branches.add(
            LogicalProject.create(
                input, List.of(), exprs, rowType.getFieldNames(), java.util.Set.of()));
      }
    }
    if (branches.isEmpty()) {
      return LogicalValues.createEmpty(cluster, rowType);
    }
    return branches.size() == 1 ? branches.get(0) : LogicalUnion.create(branches, true);
  }

  /** The error for statements this table cannot answer. */
  public NqlException unsupported(String what) {
    return new NqlException(
        ErrorCode.NOT_SUPPORTED,
        "Cannot read " + qualifiedName + ": " + what + " is not supported");
  }
}
