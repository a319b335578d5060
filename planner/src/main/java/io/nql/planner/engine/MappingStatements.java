package io.nql.planner.engine;

import io.nql.planner.catalog.CallerSchemas;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.exec.QueryResult;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.parser.SqlAttributeMapping;
import io.nql.planner.parser.SqlCreateMapping;
import io.nql.planner.parser.SqlDropMapping;
import io.nql.planner.parser.SqlShowMappings;
import io.nql.planner.parser.SqlSuggestMappings;
import io.nql.planner.plan.NqlTypeSystem;
import io.nql.planner.plan.SqlToRel;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.rosetta.Attribute;
import io.nql.planner.rosetta.AttributeCatalog;
import io.nql.planner.rosetta.AttributeType;
import io.nql.planner.rosetta.classify.Classifier;
import io.nql.planner.rosetta.classify.ColumnSample;
import io.nql.planner.rosetta.classify.Suggestion;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import io.nql.planner.store.Mappings;
import io.nql.planner.vector.VectorExecution;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/** Runs CREATE MAPPING, DROP MAPPING, SHOW MAPPINGS and SHOW ATTRIBUTES. */
final class MappingStatements {
  /** Rows of the dataset a new mapping is checked on. */
  static final int SAMPLE_ROWS = 10_000;

  /** Example violations an error quotes per mapping. */
  private static final int EXAMPLES = 3;

  private final NqlEngine engine;
  private final Company company;
  private final DatasetStatements datasets;

  MappingStatements(NqlEngine engine, Company company, DatasetStatements datasets) {
    this.engine = engine;
    this.company = company;
    this.datasets = datasets;
  }

  private static NqlException invalid(String dataset, String reason) {
    return new NqlException(
        ErrorCode.VALIDATION_ERROR, "Cannot create mapping on " + dataset + ": " + reason);
  }

  /** One attribute's mapping being created: whole, or its properties. */
  private record Pending(Attribute attribute, Map<String, SqlNode> expressions) {}

  StatementResult create(String statementId, SqlCreateMapping node) {
    Dataset dataset = datasets.own(node.getDataset());
    List<Mappings.NewMapping> rows = checked(node, dataset);
    engine.store().mappings().add(dataset.id(), rows);
    return StatementResults.count(statementId, rows.size());
  }

  /**
   * The mappings a CREATE MAPPING would store, after every check: attributes and properties exist,
   * expressions type-check, the sample passes the attributes' checks, none is a duplicate.
   *
   * @throws NqlException for the first check that fails
   */
  private List<Mappings.NewMapping> checked(SqlCreateMapping node, Dataset dataset) {
    String written = Names.written(node.getDataset());
    AttributeCatalog catalog = AttributeStatements.catalog(engine);
    List<Pending> pending = new ArrayList<>();
    Map<String, Pending> objects = new LinkedHashMap<>();
    for (SqlAttributeMapping m : node.getMappings()) {
      String name = m.getAttributeName();
      Attribute a =
          catalog
              .get(name)
              .orElseThrow(
                  () ->
                      new NqlException(
                          ErrorCode.UNDEFINED_OBJECT,
                          "Cannot create mapping on "
                              + written
                              + ": no attribute '"
                              + name
                              + "' (SHOW ATTRIBUTES lists them)"));
      String prop = m.getPropertyName();
      if (a.type() == AttributeType.OBJECT) {
        if (prop == null) {
          throw invalid(
              written,
              "attribute "
                  + name
                  + " is an object: map it property by property, e.g. ATTRIBUTE "
                  + name
                  + "."
                  + a.properties().get(0).name()
                  + " AS …");
        }
        if (a.property(prop).isEmpty()) {
          throw new NqlException(
              ErrorCode.UNDEFINED_OBJECT,
              "Cannot create mapping on "
                  + written
                  + ": attribute "
                  + name
                  + " has no property '"
                  + prop
                  + "'");
        }
        Pending p = objects.computeIfAbsent(name, k -> new Pending(a, new LinkedHashMap<>()));
        if (p.expressions().put(prop, m.getExpression()) != null) {
          throw invalid(written, "property " + name + "." + prop + " is mapped twice");
        }
      } else {
        if (prop != null) {
          throw invalid(written, "attribute " + name + " is a " + a.typeText() + ", not an object");
        }
        Map<String, SqlNode> e = new LinkedHashMap<>();
        e.put(Mappings.NewMapping.WHOLE, m.getExpression());
        pending.add(new Pending(a, e));
      }
    }
    for (Pending p : objects.values()) {
      for (Attribute.Property prop : p.attribute().properties()) {
        if (prop.required() && !p.expressions().containsKey(prop.name())) {
          throw invalid(
              written,
              "attribute " + p.attribute().name() + " needs its required property " + prop.name());
        }
      }
      pending.add(p);
    }

    // One query computes every expression: type-checked against the dataset, then run on a sample.
    List<String> texts = new ArrayList<>();
    List<Check> checks = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT ");
    for (Pending p : pending) {
      for (Map.Entry<String, SqlNode> e : p.expressions().entrySet()) {
        String text = NqlParser.unparse(e.getValue());
        String label =
            e.getKey().isEmpty() ? p.attribute().name() : p.attribute().name() + "." + e.getKey();
        checks.add(new Check(label, p.attribute(), e.getKey()));
        sql.append(texts.isEmpty() ? "" : ", ")
            .append('(')
            .append(text)
            .append(") AS \"m")
            .append(texts.size())
            .append('"');
        texts.add(text);
      }
    }
    sql.append(" FROM company_data.\"").append(dataset.id()).append('"');
    SchemaPlus own = CallerSchemas.forCompany(company.id(), List.of(), engine.datasets());
    SqlNode query = NqlParser.parse(sql.toString());
    SqlToRel.Validated v;
    try {
      v = SqlToRel.validate(query, own, new JavaTypeFactoryImpl(NqlTypeSystem.INSTANCE));
    } catch (NqlException e) {
      throw new NqlException(
          e.code(), "Cannot create mapping on " + written + ": " + e.getMessage(), e);
    }
    checkRowLocal(written, v.node());
    List<RelDataTypeField> types = v.validator().getValidatedNodeType(v.node()).getFieldList();
    for (int i = 0; i < checks.size(); i++) {
      Check c = checks.get(i);
      AttributeType want = c.type();
      RelDataType got = types.get(i).getType();
      if (!want.accepts(got)) {
        throw new NqlException(
            ErrorCode.DATATYPE_MISMATCH,
            "Cannot create mapping on "
                + written
                + ": "
                + c.label()
                + " is a "
                + want.lowerName()
                + ", but its expression gives "
                + got.getSqlTypeName());
      }
    }
    sample(written, own, sql.toString(), checks);

    List<Mappings.NewMapping> rows = new ArrayList<>();
    int k = 0;
    List<Mappings.Mapping> existing = engine.store().mappings().forDataset(dataset.id());
    for (Pending p : pending) {
      Map<String, String> exprs = new LinkedHashMap<>();
      for (String prop : p.expressions().keySet()) {
        exprs.put(prop, texts.get(k++));
      }
      if (duplicates(existing, p.attribute().name(), exprs)) {
        throw new NqlException(
            ErrorCode.DUPLICATE_OBJECT,
            "Cannot create mapping on "
                + written
                + ": "
                + p.attribute().name()
                + " is already mapped by the same expression");
      }
      rows.add(new Mappings.NewMapping(p.attribute().name(), exprs));
    }
    return rows;
  }

  /** One computed column of the check query: which attribute (property) it gives. */
  private record Check(String label, Attribute attribute, String property) {
    AttributeType type() {
      return property.isEmpty()
          ? attribute.type()
          : attribute.property(property).orElseThrow().type();
    }

    Attribute.Checks checks() {
      return property.isEmpty()
          ? attribute.checks()
          : attribute.property(property).orElseThrow().checks();
    }
  }

  private static boolean duplicates(
      List<Mappings.Mapping> existing, String attribute, Map<String, String> exprs) {
    Map<Integer, Map<String, String>> byOrdinal = new LinkedHashMap<>();
    for (Mappings.Mapping m : existing) {
      if (m.attribute().equals(attribute)) {
        byOrdinal
            .computeIfAbsent(m.ordinal(), o -> new LinkedHashMap<>())
            .put(m.property() == null ? "" : m.property(), m.expression());
      }
    }
    return byOrdinal.containsValue(exprs);
  }

  /**
   * Runs the expressions on the first {@value #SAMPLE_ROWS} rows of the dataset (the owner's own
   * data, free) and refuses the mapping when values break the attribute's checks, quoting a few.
   */
  private void sample(String written, SchemaPlus own, String sql, List<Check> checks) {
    long[] bad = new long[checks.size()];
    List<List<String>> examples = new ArrayList<>();
    checks.forEach(c -> examples.add(new ArrayList<>()));
    long rows = 0;
    try (QueryResult r =
        engine
            .executor()
            .execute(
                NqlParser.parse(sql + " LIMIT " + SAMPLE_ROWS),
                own,
                new ScanMetrics(),
                List.of(),
                Map.of(VectorExecution.CONTEXT_KEY, true))) {
      while (r.next()) {
        rows++;
        Object[] row = r.row();
        for (int i = 0; i < checks.size(); i++) {
          Optional<String> why = checks.get(i).checks().violation(row[i]);
          if (why.isPresent()) {
            bad[i]++;
            if (examples.get(i).size() < EXAMPLES) {
              examples.get(i).add("'" + shorten(String.valueOf(row[i])) + "' (" + why.get() + ")");
            }
          }
        }
      }
    } catch (NqlException e) {
      throw new NqlException(
          e.code(),
          "Cannot create mapping on " + written + ": evaluating it failed: " + e.getMessage(),
          e);
    }
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      if (bad[i] > 0) {
        problems.add(
            checks.get(i).label()
                + ": "
                + bad[i]
                + " of "
                + rows
                + " sampled values fail, e.g. "
                + String.join(", ", examples.get(i)));
      }
    }
    if (!problems.isEmpty()) {
      throw new NqlException(
          ErrorCode.VALIDATION_ERROR,
          "Cannot create mapping on " + written + ": " + String.join("; ", problems));
    }
  }

  private static String shorten(String s) {
    String oneLine = s.replace('\n', ' ').replace('\r', ' ');
    return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 40) + "…";
  }

  /** A mapping gives a value per row: no aggregate, window, sub-query or non-deterministic call. */
  private static void checkRowLocal(String written, SqlNode validated) {
    validated.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (call.getKind() == SqlKind.OVER
                || call.getOperator().isAggregator()
                || (call.getKind().belongsTo(SqlKind.QUERY) && call != validated)) {
              throw invalid(
                  written,
                  "a mapping is an expression of one row's columns: no aggregate, window function"
                      + " or sub-query");
            }
            if (!call.getOperator().isDeterministic() || call.getOperator().isDynamicFunction()) {
              throw invalid(
                  written,
                  call.getOperator().getName() + " is not deterministic; a mapping must be");
            }
            return super.visit(call);
          }
        });
  }

  StatementResult drop(String statementId, SqlDropMapping node) {
    Dataset dataset = datasets.own(node.getDataset());
    String prop = node.getProperty() == null ? null : node.getProperty().getSimple();
    String attr = node.getAttributeName();
    if (prop != null) {
      Optional<Attribute> a = AttributeStatements.catalog(engine).get(attr);
      if (a.isPresent() && a.get().property(prop).map(Attribute.Property::required).orElse(false)) {
        throw new NqlException(
            ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
            "Cannot drop mapping "
                + attr
                + "."
                + prop
                + " on "
                + Names.written(node.getDataset())
                + ": the property is required; drop the mapping of "
                + attr);
      }
    }
    int dropped = engine.store().mappings().drop(dataset.id(), attr, prop);
    if (dropped == 0) {
      throw new NqlException(
          ErrorCode.UNDEFINED_OBJECT,
          "Cannot drop mapping on "
              + Names.written(node.getDataset())
              + ": it does not map "
              + (prop == null ? attr : attr + "." + prop));
    }
    return StatementResults.count(statementId, dropped);
  }

  static final List<ResultColumn> MAPPING_COLUMNS =
      List.of(
          ResultColumn.varchar("attribute"),
          ResultColumn.varchar("property"),
          ResultColumn.bigint("mapping", false),
          ResultColumn.varchar("expression"),
          ResultColumn.timestamp("created_at"));

  StatementResult showMappings(String statementId, SqlShowMappings node) {
    Dataset dataset = datasets.own(node.getDataset());
    List<Object[]> rows = new ArrayList<>();
    for (Mappings.Mapping m : engine.store().mappings().forDataset(dataset.id())) {
      rows.add(
          new Object[] {
            m.attribute(),
            m.property(),
            (long) m.ordinal(),
            m.expression(),
            java.time.LocalDateTime.ofInstant(m.createdAt(), java.time.ZoneOffset.UTC)
          });
    }
    return StatementResults.rows(statementId, MAPPING_COLUMNS, rows);
  }

  /** Rows of the dataset the classifier profiles. */
  static final int SUGGEST_SAMPLE_ROWS = 5_000;

  static final List<ResultColumn> SUGGEST_COLUMNS =
      List.of(
          ResultColumn.varchar("column_name"),
          ResultColumn.varchar("attribute"),
          ResultColumn.varchar("expression"),
          new ResultColumn("confidence", java.sql.Types.DECIMAL, "DECIMAL", 3, 2, false),
          ResultColumn.varchar("reason"),
          ResultColumn.varchar("statement"));

  /**
   * SUGGEST MAPPINGS: the classifier profiles a sample of the dataset's columns; each suggestion it
   * is confident of is checked as CREATE MAPPING would check it (type, then the attribute's checks
   * on the sample) and listed with the statement that creates it. A suggestion that would fail
   * those checks is left out.
   */
  StatementResult suggest(String statementId, SqlSuggestMappings node) {
    Dataset dataset = datasets.own(node.getDataset());
    String written = Names.written(node.getDataset());
    SchemaPlus own = CallerSchemas.forCompany(company.id(), List.of(), engine.datasets());
    List<String> names = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<List<Object>> values = new ArrayList<>();
    try (QueryResult r =
        engine
            .executor()
            .execute(
                NqlParser.parse(
                    "SELECT * FROM company_data.\""
                        + dataset.id()
                        + "\" LIMIT "
                        + SUGGEST_SAMPLE_ROWS),
                own,
                new ScanMetrics(),
                List.of(),
                Map.of(VectorExecution.CONTEXT_KEY, true))) {
      for (ResultColumn c : r.columns()) {
        names.add(c.name());
        types.add(c.typeName());
        values.add(new ArrayList<>());
      }
      while (r.next()) {
        Object[] row = r.row();
        for (int i = 0; i < row.length; i++) {
          values.get(i).add(sampleValue(row[i]));
        }
      }
    }
    List<ColumnSample> samples = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      samples.add(new ColumnSample(names.get(i), types.get(i), values.get(i)));
    }
    List<Object[]> rows = new ArrayList<>();
    for (Suggestion s : new Classifier().suggest(samples)) {
      String attribute = s.attribute();
      String statement =
          "CREATE MAPPING ON " + written + " ATTRIBUTE " + attribute + " AS " + s.expression();
      if (!passes(statement, dataset)) {
        continue;
      }
      rows.add(
          new Object[] {
            s.column(),
            attribute,
            s.expression(),
            java.math.BigDecimal.valueOf(s.confidence())
                .setScale(2, java.math.RoundingMode.HALF_UP),
            s.reason(),
            statement
          });
    }
    return StatementResults.rows(statementId, SUGGEST_COLUMNS, rows);
  }

  /** Whether a suggested CREATE MAPPING would pass every check. */
  private boolean passes(String statement, Dataset dataset) {
    try {
      checked((SqlCreateMapping) NqlParser.parse(statement), dataset);
      return true;
    } catch (NqlException e) {
      return false;
    }
  }

  /** A sampled value as the classifier reads it: timestamps as java.time values. */
  private static Object sampleValue(Object v) {
    if (v instanceof java.sql.Timestamp t) {
      return t.toLocalDateTime();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    return v;
  }
}
