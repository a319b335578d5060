package io.nql.planner.engine;

import io.nql.planner.catalog.Namespaces;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.parser.SqlCreateAccessRule;
import io.nql.planner.parser.SqlDropAccessRule;
import io.nql.planner.plan.NqlTypeSystem;
import io.nql.planner.plan.SqlToRel;
import io.nql.planner.policy.PseudoColumns;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.store.AccessRule;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import java.math.BigDecimal;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/** Runs CREATE [OR REPLACE] ACCESS RULE, DROP ACCESS RULE and SHOW ACCESS RULES. */
final class RuleStatements {
  private final NqlEngine engine;
  private final Company company;

  RuleStatements(NqlEngine engine, Company company) {
    this.engine = engine;
    this.company = company;
  }

  private NqlException invalid(String rule, String reason) {
    return new NqlException(
        ErrorCode.VALIDATION_ERROR, "Cannot create access rule " + rule + ": " + reason);
  }

  StatementResult create(String statementId, SqlCreateAccessRule node, EngineSession session) {
    String name = node.getSimpleName();
    if (!(node.getQuery() instanceof SqlSelect select)) {
      throw invalid(name, "its query must be one SELECT … FROM company_data.<dataset> [WHERE …]");
    }
    if (select.getGroup() != null
        || select.getHaving() != null
        || (select.getWindowList() != null && !select.getWindowList().isEmpty())
        || select.getOrderList() != null && !select.getOrderList().isEmpty()
        || select.getOffset() != null
        || select.getFetch() != null
        || select.getQualify() != null
        || select.isDistinct()) {
      throw invalid(
          name,
          "a rule selects rows and columns of one dataset: GROUP BY, HAVING, WINDOW, QUALIFY,"
              + " DISTINCT, ORDER BY, OFFSET and LIMIT are not allowed");
    }
    SqlIdentifier from = fromIdentifier(name, select.getFrom());
    Dataset dataset = ownDataset(from);
    checkNoSubqueries(name, select);
    List<String> names = outputNames(name, select.getSelectList());

    // Bind the rule to the dataset's id, so a later dataset of the same name is never exposed.
    SqlSelect bound = (SqlSelect) NqlParser.parse(NqlParser.unparse(select));
    SqlIdentifier idRef =
        new SqlIdentifier(
            List.of(Namespaces.COMPANY_DATA, Long.toString(dataset.id())), SqlParserPos.ZERO);
    bound.setFrom(
        bound.getFrom() instanceof SqlBasicCall as && as.getKind() == SqlKind.AS
            ? SqlStdOperatorTable.AS.createCall(SqlParserPos.ZERO, idRef, as.operand(1))
            : idRef);
    String queryText = NqlParser.unparse(bound);

    SqlToRel.Validated v =
        SqlToRel.validate(
            NqlParser.parse(queryText),
            session.ownNamespace(),
            new JavaTypeFactoryImpl(NqlTypeSystem.INSTANCE));
    Set<String> seen = new HashSet<>();
    for (RelDataTypeField f : v.validator().getValidatedNodeType(v.node()).getFieldList()) {
      if (PseudoColumns.isReserved(f.getName())) {
        throw invalid(name, "column name " + f.getName() + " is reserved for a pseudo-column");
      }
      if (!seen.add(f.getName())) {
        throw invalid(name, "column name " + f.getName() + " appears twice in the select list");
      }
    }
    if (names.isEmpty()) {
      throw invalid(name, "its select list is empty");
    }
    checkDeterministic(name, v.node());
    checkRowLocal(name, v);

    List<Long> audience = new ArrayList<>();
    for (String slug : node.getCompanies()) {
      Company c =
          engine
              .store()
              .company(slug)
              .orElseThrow(
                  () ->
                      new NqlException(
                          ErrorCode.UNDEFINED_OBJECT,
                          "Cannot create access rule " + name + ": no company '" + slug + "'"));
      audience.add(c.id());
    }
    BigDecimal price = node.getPriceCpmUsd();
    if (price.signum() < 0 || price.stripTrailingZeros().scale() > 2) {
      throw new NqlException(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot create access rule "
              + name
              + ": PRICE_CPM_USD must be ≥ 0 with at most two decimals");
    }
    AccessRule created =
        engine
            .store()
            .accessRules()
            .create(
                company.id(),
                name,
                node.getReplace(),
                new AccessRule.Definition(
                    dataset.id(),
                    queryText,
                    price.setScale(2),
                    AccessRule.ShareMode.valueOf(node.getShareMode().name()),
                    audience,
                    node.getDisplayName(),
                    node.getDescription()));
    engine.statistics().analyzeRuleQuietly(created);
    engine.dataChanged();
    return StatementResults.count(statementId, 0);
  }

  private SqlIdentifier fromIdentifier(String rule, SqlNode from) {
    SqlNode target = from;
    if (from instanceof SqlBasicCall call && call.getKind() == SqlKind.AS) {
      target = call.operand(0);
    }
    if (!(target instanceof SqlIdentifier id)) {
      throw invalid(rule, "it reads exactly one dataset: FROM company_data.<dataset> [alias]");
    }
    return id;
  }

  private Dataset ownDataset(SqlIdentifier id) {
    String written = Names.written(id);
    if (id.names.size() != 2 || !Namespaces.COMPANY_DATA.equals(id.names.get(0))) {
      throw DatasetStatements.unknownTable(written);
    }
    String n = id.names.get(1);
    Optional<Dataset> d;
    if (!n.isEmpty() && n.length() < 19 && n.chars().allMatch(Character::isDigit)) {
      d = engine.warehouse().datasetById(company.id(), Long.parseLong(n)); // digits name an id
    } else {
      d = engine.warehouse().dataset(company.id(), n);
    }
    return d.orElseThrow(() -> DatasetStatements.unknownTable(written));
  }

  private void checkNoSubqueries(String rule, SqlSelect select) {
    SqlBasicVisitor<Void> visitor =
        new SqlBasicVisitor<>() {
          @Override
          public Void visit(SqlCall call) {
            if (call != select && call.getKind().belongsTo(SqlKind.QUERY)) {
              throw invalid(rule, "subqueries are not allowed in a rule");
            }
            return super.visit(call);
          }
        };
    select.getSelectList().accept(visitor);
    if (select.getWhere() != null) {
      select.getWhere().accept(visitor);
    }
  }

  private List<String> outputNames(String rule, SqlNodeList selectList) {
    List<String> names = new ArrayList<>();
    int i = 0;
    for (SqlNode item : selectList) {
      i++;
      if (item instanceof SqlIdentifier id) {
        names.add(id.isStar() ? "*" : id.names.get(id.names.size() - 1));
      } else if (item instanceof SqlBasicCall call && call.getKind() == SqlKind.AS) {
        names.add(((SqlIdentifier) call.operand(1)).getSimple());
      } else {
        throw invalid(rule, "select item " + i + " is an expression: give it a name with AS");
      }
    }
    return names;
  }

  private void checkDeterministic(String rule, SqlNode validated) {
    validated.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (!call.getOperator().isDeterministic() || call.getOperator().isDynamicFunction()) {
              throw invalid(
                  rule,
                  call.getOperator().getName()
                      + " is not deterministic; a rule's columns and filter must be");
            }
            return super.visit(call);
          }
        });
  }

  /**
   * A rule row is one dataset row: no aggregate and no window function, whose value would depend on
   * other rows (a window over the rule's rows would also tell a buyer about rows it filters out or
   * has not paid for).
   */
  private void checkRowLocal(String rule, SqlToRel.Validated v) {
    if (v.node() instanceof SqlSelect select && v.validator().isAggregate(select)) {
      throw invalid(
          rule,
          "aggregate functions are not allowed in a rule: a rule selects rows and columns of one"
              + " dataset");
    }
    v.node()
        .accept(
            new SqlBasicVisitor<Void>() {
              @Override
              public Void visit(SqlCall call) {
                if (call.getKind() == SqlKind.OVER) {
                  throw invalid(
                      rule,
                      "window functions (OVER) are not allowed in a rule: a rule row must not"
                          + " depend on other rows");
                }
                return super.visit(call);
              }
            });
  }

  StatementResult drop(String statementId, SqlDropAccessRule node) {
    engine.store().accessRules().drop(company.id(), node.getSimpleName());
    return StatementResults.count(statementId, 0);
  }

  /** The columns of {@code SHOW ACCESS RULES}. */
  static final List<ResultColumn> SHOW_COLUMNS =
      List.of(
          new ResultColumn("schema", Types.VARCHAR, "VARCHAR", 0, 0, false),
          new ResultColumn("name", Types.VARCHAR, "VARCHAR", 0, 0, false),
          new ResultColumn("provider", Types.VARCHAR, "VARCHAR", 0, 0, false),
          ResultColumn.bigint("rule_id", false),
          ResultColumn.bigint("version", false),
          new ResultColumn("price_cpm_usd", Types.DECIMAL, "DECIMAL", 12, 2, false),
          ResultColumn.varchar("shared_with"),
          ResultColumn.varchar("display_name"),
          ResultColumn.varchar("description"));

  StatementResult show(String statementId) {
    List<ResultColumn> cols = SHOW_COLUMNS;
    Map<Long, String> slugs = new java.util.HashMap<>();
    for (Company c : engine.store().companies()) {
      slugs.put(c.id(), c.slug());
    }
    List<Object[]> rows = new ArrayList<>();
    for (AccessRule r : engine.store().accessRules().rules(company.id())) {
      rows.add(
          new Object[] {
            Namespaces.COMPANY_DATA,
            r.name(),
            company.slug(),
            r.id(),
            (long) r.version(),
            r.priceCpmUsd(),
            audienceText(r, slugs),
            r.displayName(),
            r.description()
          });
    }
    for (AccessRule r : engine.store().accessRules().sharedWith(company.id())) {
      String owner = slugs.get(r.companyId());
      rows.add(
          new Object[] {
            owner,
            r.name(),
            owner,
            r.id(),
            (long) r.version(),
            r.priceCpmUsd(),
            // Who else a provider shares with is its business: a buyer only learns it is included.
            "you",
            r.displayName(),
            r.description()
          });
    }
    return StatementResults.rows(statementId, cols, rows);
  }

  private static String audienceText(AccessRule r, Map<Long, String> slugs) {
    List<String> names = new ArrayList<>();
    for (Long id : r.audience()) {
      names.add(slugs.getOrDefault(id, "#" + id));
    }
    return switch (r.shareMode()) {
      case ALL -> "ALL";
      case NONE -> "NONE";
      case COMPANIES -> "COMPANIES (" + String.join(", ", names) + ")";
      case ALL_EXCEPT -> "ALL EXCEPT (" + String.join(", ", names) + ")";
    };
  }
}
