package io.nql.planner.plan;

import com.google.common.collect.ImmutableList;
import io.nql.planner.error.NqlException;
import io.nql.planner.parser.NqlConformance;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Validation and SQL-to-plan conversion, configured once for every statement the engine runs and
 * for every access rule's plan (so a rule is compiled exactly as a query is).
 */
public final class SqlToRel {
  private SqlToRel() {}

  /** A validated query with the validator and catalog reader that validated it. */
  public record Validated(
      SqlValidator validator, CalciteCatalogReader catalogReader, SqlNode node) {}

  /**
   * Validates a query against a root schema, as every statement is validated: case-sensitive names,
   * {@link NqlConformance}, identifiers expanded.
   *
   * @throws NqlException with the mapped validation error
   */
  public static Validated validate(
      SqlNode query, SchemaPlus rootSchema, JavaTypeFactory typeFactory) {
    Properties props = new Properties();
    props.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "true");
    CalciteCatalogReader catalogReader =
        new CalciteCatalogReader(
            CalciteSchema.from(rootSchema),
            List.of(),
            typeFactory,
            new CalciteConnectionConfigImpl(props));
    SqlValidator validator =
        new NqlValidator(
            SqlOperatorTables.chain(SqlStdOperatorTable.instance(), NqlFunctions.operatorTable()),
            catalogReader,
            typeFactory,
            SqlValidator.Config.DEFAULT
                .withTypeCoercionFactory(NqlTypeCoercion::new)
                .withConformance(NqlConformance.INSTANCE)
                .withIdentifierExpansion(true));
    try {
      NqlFunctions.resolveKeywordCalls(query);
      PreValidation.check(query);
      ColumnQualifier.qualify(query, rootSchema, typeFactory);
      SqlNode validated = validator.validate(query);
      Casts.check(validator, validated);
      return new Validated(validator, catalogReader, validated);
    } catch (RuntimeException e) {
      throw ErrorMapper.validation(e, query);
    }
  }

  /**
   * The converter from a validated query to a logical plan: no field trimming (done after the
   * policy rewrite), no sub-query expansion (removed by rules), and IN lists of literals kept as
   * one predicate whatever their length — Calcite's default turns lists of more than 20 values into
   * a join with a VALUES table, which a rule's meter could then not see as a filter on its rows
   * (the buyer would pay for every rule row the join reads).
   *
   * <p>Exact integer arithmetic never wraps around: it is checked as it is converted ({@link
   * NqlConvertletTable}, {@link CheckedArithmetic}), and SUM and AVG of exact integers are exact
   * ({@link ExactAggregates}). (Calcite's own switch for this, {@code
   * SqlConformance.checkedArithmetic()}, is read in 1.42 only by its {@code Prepare}, which NQL
   * does not use, and its checked operators are unsafe under 1.42's simplifier: see {@link
   * CheckedArithmetic}.)
   */
  public static SqlToRelConverter converter(Validated v, RelOptCluster cluster) {
    return new Converter(
        (rowType, queryString, schemaPath, viewPath) -> {
          throw new UnsupportedOperationException("views");
        },
        v.validator(),
        v.catalogReader(),
        cluster,
        NqlConvertletTable.INSTANCE,
        SqlToRelConverter.config()
            .withTrimUnusedFields(false)
            .withExpand(false)
            .withInSubQueryThreshold(Integer.MAX_VALUE));
  }

  /** Calcite's converter, building the exact SUM and AVG of exact integers. */
  private static final class Converter extends SqlToRelConverter {
    Converter(
        RelOptTable.ViewExpander viewExpander,
        SqlValidator validator,
        Prepare.CatalogReader catalogReader,
        RelOptCluster cluster,
        SqlRexConvertletTable convertletTable,
        Config config) {
      super(viewExpander, validator, catalogReader, cluster, convertletTable, config);
    }

    @Override
    protected RelNode createAggregate(
        Blackboard bb,
        ImmutableBitSet groupSet,
        ImmutableList<ImmutableBitSet> groupSets,
        List<AggregateCall> aggCalls) {
      List<RelDataType> inputTypes = RelOptUtil.getFieldTypeList(bb.root().getRowType());
      List<AggregateCall> exact = new ArrayList<>(aggCalls.size());
      for (AggregateCall call : aggCalls) {
        exact.add(ExactAggregates.exact(call, inputTypes));
      }
      return super.createAggregate(bb, groupSet, groupSets, exact);
    }
  }
}
