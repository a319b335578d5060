package io.nql.planner.engine;

import io.nql.planner.catalog.Namespaces;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.IcebergTypes;
import io.nql.planner.ingest.CopyFormat;
import io.nql.planner.ingest.CopyLoader;
import io.nql.planner.ingest.CopyOptions;
import io.nql.planner.ingest.CopyPlan;
import io.nql.planner.ingest.CopySource;
import io.nql.planner.ingest.LoadResult;
import io.nql.planner.ingest.SchemaInference;
import io.nql.planner.parser.SqlCopyInto;
import io.nql.planner.parser.SqlCreateDataset;
import io.nql.planner.parser.SqlDatasetColumn;
import io.nql.planner.parser.SqlDescribeDataset;
import io.nql.planner.parser.SqlDropDataset;
import io.nql.planner.parser.SqlPartitionField;
import io.nql.planner.parser.SqlSortField;
import io.nql.planner.result.ProgressListener;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import io.nql.planner.store.PlaneSource;
import io.nql.planner.warehouse.PartitionSpecs;
import io.nql.planner.warehouse.PartitionTerm;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.iceberg.NullOrder;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** Runs the provider's dataset statements: CREATE/DROP DATASET, COPY INTO, SHOW, DESCRIBE. */
final class DatasetStatements {
  private final NqlEngine engine;
  private final Company company;
  private final RelDataTypeFactory typeFactory =
      new JavaTypeFactoryImpl(io.nql.planner.plan.NqlTypeSystem.INSTANCE);

  DatasetStatements(NqlEngine engine, Company company) {
    this.engine = engine;
    this.company = company;
  }

  StatementResult create(String statementId, SqlCreateDataset node) {
    String name = node.getSimpleName();
    List<Types.NestedField> fields = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int id = 1;
    for (SqlDatasetColumn c : node.getColumns()) {
      String col = c.getSimpleName();
      if (!seen.add(col)) {
        throw new NqlException(
            ErrorCode.DUPLICATE_OBJECT,
            "Cannot create dataset " + name + ": column '" + col + "' appears twice");
      }
      RelDataType type = DatasetTypes.declared(c.getType(), !c.isNotNull());
      fields.add(
          Types.NestedField.of(
              id++, !c.isNotNull(), col, DatasetTypes.icebergType(name, col, type)));
    }
    Schema schema = new Schema(fields);
    PartitionSpec spec = partitionSpec(schema, node.getPartitionFields());
    SortOrder order = sortOrder(name, schema, node.getSortFields());
    List<String> bloom = bloomFilterColumns(name, schema, node.getBloomFilterColumns());
    engine.warehouse().createDataset(company, name, schema, spec, order, bloom);
    return StatementResults.count(statementId, 0);
  }

  /** The partition spec of PARTITIONED_BY over {@code schema}. */
  static PartitionSpec partitionSpec(Schema schema, List<SqlPartitionField> partitions) {
    List<PartitionTerm> terms = new ArrayList<>();
    for (SqlPartitionField p : partitions) {
      String transform = p.getTransform().name().toLowerCase(Locale.ROOT);
      terms.add(
          p.getWidth() == null
              ? PartitionTerm.of(p.getColumnName(), transform)
              : PartitionTerm.of(p.getColumnName(), transform, p.getWidth()));
    }
    return PartitionSpecs.build(schema, terms);
  }

  /** The sort order of SORTED_BY (ascending: NULLs first; descending: NULLs last). */
  private static SortOrder sortOrder(String dataset, Schema schema, List<SqlSortField> fields) {
    if (fields.isEmpty()) {
      return SortOrder.unsorted();
    }
    SortOrder.Builder order = SortOrder.builderFor(schema);
    Set<String> seen = new HashSet<>();
    for (SqlSortField f : fields) {
      String column = f.getColumnName();
      Types.NestedField field = schema.findField(column);
      if (field == null) {
        throw NqlException.of(
            ErrorCode.UNKNOWN_COLUMN,
            "Cannot create dataset %s: SORTED_BY names column %s, which the dataset does not have",
            dataset,
            column);
      }
      if (!seen.add(column)) {
        throw NqlException.of(
            ErrorCode.DUPLICATE_OBJECT,
            "Cannot create dataset %s: column '%s' appears twice in SORTED_BY",
            dataset,
            column);
      }
      if (f.isDescending()) {
        order.desc(column, NullOrder.NULLS_LAST);
      } else {
        order.asc(column, NullOrder.NULLS_FIRST);
      }
    }
    return order.build();
  }

  /** The columns of BLOOM_FILTER, checked against the schema. */
  private static List<String> bloomFilterColumns(
      String dataset, Schema schema, List<String> columns) {
    Set<String> seen = new HashSet<>();
    for (String column : columns) {
      Types.NestedField field = schema.findField(column);
      if (field == null) {
        throw NqlException.of(
            ErrorCode.UNKNOWN_COLUMN,
            "Cannot create dataset %s: BLOOM_FILTER names column %s, which the dataset does not"
                + " have",
            dataset,
            column);
      }
      if (!seen.add(column)) {
        throw NqlException.of(
            ErrorCode.DUPLICATE_OBJECT,
            "Cannot create dataset %s: column '%s' appears twice in BLOOM_FILTER",
            dataset,
            column);
      }
      if (field.type().typeId() == Type.TypeID.BOOLEAN) {
        // two values: a bloom filter cannot rule out more than the statistics do
        throw NqlException.of(
            ErrorCode.INVALID_PARAMETER_VALUE,
            "Cannot create dataset %s: a bloom filter on BOOLEAN column %s is not supported",
            dataset,
            column);
      }
    }
    return List.copyOf(columns);
  }

  StatementResult drop(String statementId, SqlDropDataset node) {
    String name = node.getSimpleName();
    Dataset d =
        engine
            .warehouse()
            .dataset(company.id(), name)
            .orElseThrow(() -> unknownTable(Names.written(node.getName())));
    engine.warehouse().dropDataset(d);
    return StatementResults.count(statementId, 0);
  }

  StatementResult copyInto(String statementId, SqlCopyInto node, ProgressListener progress) {
    SqlIdentifier target = node.getTable();
    refuseInPlane(target, "copy into"); // before a file is looked at
    String datasetName = ownDatasetName(target);
    CopyOptions options = CopyOptions.defaults();
    if (node.getFormat() != null) {
      options = options.withFormat(CopyFormat.parse(node.getFormat()));
    }
    if (node.getHeader() != null) {
      options = options.withHeader(node.getHeader());
    }
    if (node.getDelimiter() != null) {
      options = options.withDelimiter(node.getDelimiter().charAt(0));
    }
    if (node.getNullString() != null) {
      options = options.withNullString(node.getNullString());
    }
    CopySource source =
        CopySource.resolve(engine.ingestRoots(), company.slug(), node.getUri(), node.getPattern());
    int threads = source.threads();
    Optional<Dataset> existing = find(target, datasetName);
    Dataset dataset;
    boolean created = false;
    if (existing.isPresent()) {
      dataset = existing.get();
    } else {
      if (isNumeric(datasetName)) {
        throw unknownTable(Names.written(target));
      }
      Schema inferred =
          SchemaInference.inferSchema(source.requireFiles().files(), options, threads, progress);
      dataset =
          engine
              .warehouse()
              .createDataset(company, datasetName, inferred, PartitionSpec.unpartitioned());
      created = true;
    }
    try {
      Table table = engine.warehouse().loadTable(dataset);
      CopyPlan plan = CopyPlan.of(table, source, Boolean.TRUE.equals(node.getIncremental()));
      long inferredBytes = created ? source.bytes() : 0;
      LoadResult result =
          CopyLoader.load(table, dataset.name(), plan, options, threads, inferredBytes, progress);
      if (result.snapshotId().isPresent() || created) {
        // The rows are committed: statistics for forecasts follow (a failure is logged, not
        // raised).
        engine.statistics().afterWrite(dataset);
        engine.dataChanged();
      }
      return StatementResults.count(
          statementId, result.rowsLoaded(), CopyNotices.of(source, result, datasetName));
    } catch (RuntimeException e) {
      if (created) {
        try {
          engine.warehouse().dropDataset(dataset);
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /**
   * Loads rows into the caller's dataset {@code target} (its name checked first): into the existing
   * dataset, or into one created unpartitioned with {@code schema} and dropped again when the load
   * fails. Statistics follow a load that committed.
   *
   * @param load writes the rows into the dataset's table, as one snapshot or not at all
   */
  LoadResult load(
      SqlIdentifier target,
      java.util.function.Supplier<Schema> schema,
      java.util.function.BiFunction<Dataset, Table, LoadResult> load) {
    String datasetName = ownDatasetName(target);
    Optional<Dataset> existing = find(target, datasetName);
    existing.ifPresent(d -> PlaneDatasets.refuseInPlane(d, "load into"));
    if (existing.isEmpty() && isNumeric(datasetName)) {
      throw unknownTable(Names.written(target));
    }
    Dataset dataset =
        existing.orElseGet(
            () ->
                engine
                    .warehouse()
                    .createDataset(
                        company, datasetName, schema.get(), PartitionSpec.unpartitioned()));
    try {
      LoadResult result = load.apply(dataset, engine.warehouse().loadTable(dataset));
      engine.statistics().afterWrite(dataset);
      engine.dataChanged();
      return result;
    } catch (RuntimeException e) {
      if (existing.isEmpty()) {
        try {
          engine.warehouse().dropDataset(dataset);
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /**
   * The columns of {@code SHOW DATASETS}: for a dataset in a data plane, {@code rows} and {@code
   * data_files} are NULL (the plane is not read to list it), {@code data_plane} and {@code
   * source_table} say where its rows rest.
   */
  static final List<ResultColumn> SHOW_COLUMNS =
      List.of(
          ResultColumn.bigint("dataset_id", false),
          new ResultColumn("name", java.sql.Types.VARCHAR, "VARCHAR", 0, 0, false),
          ResultColumn.bigint("columns", false),
          ResultColumn.bigint("rows", true),
          ResultColumn.bigint("data_files", true),
          ResultColumn.varchar("partitioned_by"),
          ResultColumn.timestamp("updated_at"),
          ResultColumn.varchar("data_plane"),
          ResultColumn.varchar("source_table"));

  /** The columns of {@code DESCRIBE} (a dataset or an access rule). */
  static final List<ResultColumn> DESCRIBE_COLUMNS =
      List.of(
          new ResultColumn("column_name", java.sql.Types.VARCHAR, "VARCHAR", 0, 0, false),
          new ResultColumn("data_type", java.sql.Types.VARCHAR, "VARCHAR", 0, 0, false),
          ResultColumn.bool("nullable"),
          ResultColumn.varchar("partition_transform"));

  StatementResult show(String statementId) {
    List<ResultColumn> cols = SHOW_COLUMNS;
    List<Object[]> rows = new ArrayList<>();
    for (Dataset d : engine.warehouse().datasets(company.id())) {
      if (d.inPlane()) {
        PlaneSource p = d.plane();
        rows.add(
            new Object[] {
              d.id(),
              d.name(),
              (long) p.columns().size(),
              null,
              null,
              null,
              LocalDateTime.ofInstant(d.createdAt(), ZoneOffset.UTC),
              p.plane(),
              PlaneDatasets.sourceTable(p)
            });
        continue;
      }
      Table t = engine.warehouse().loadTable(d);
      Snapshot s = t.currentSnapshot();
      long records = s == null ? 0 : summaryLong(s, "total-records");
      long files = s == null ? 0 : summaryLong(s, "total-data-files");
      Instant updated = s == null ? d.createdAt() : Instant.ofEpochMilli(s.timestampMillis());
      rows.add(
          new Object[] {
            d.id(),
            d.name(),
            (long) t.schema().columns().size(),
            records,
            files,
            partitioning(t.spec()),
            LocalDateTime.ofInstant(updated, ZoneOffset.UTC),
            null,
            null
          });
    }
    return StatementResults.rows(statementId, cols, rows);
  }

  StatementResult describe(String statementId, SqlDescribeDataset node) {
    SqlIdentifier target = node.getTable();
    String name = ownDatasetName(target);
    Dataset d = find(target, name).orElseThrow(() -> unknownTable(Names.written(target)));
    List<ResultColumn> cols = DESCRIBE_COLUMNS;
    List<Object[]> rows = new ArrayList<>();
    if (d.inPlane()) {
      for (PlaneSource.Column c : d.plane().columns()) {
        if (node.getColumn() == null || node.getColumn().getSimple().equals(c.name())) {
          RelDataType type = IcebergTypes.toRelType(c.type(), c.nullable(), typeFactory);
          rows.add(new Object[] {c.name(), DatasetTypes.typeText(type), c.nullable(), null});
        }
      }
      return StatementResults.rows(statementId, cols, rows);
    }
    Table t = engine.warehouse().loadTable(d);
    for (Types.NestedField f : t.schema().columns()) {
      if (node.getColumn() != null && !node.getColumn().getSimple().equals(f.name())) {
        continue;
      }
      RelDataType type = IcebergTypes.toRelType(f.type(), f.isOptional(), typeFactory);
      rows.add(
          new Object[] {
            f.name(),
            DatasetTypes.typeText(type),
            f.isOptional(),
            transformOf(t.spec(), f.fieldId())
          });
    }
    return StatementResults.rows(statementId, cols, rows);
  }

  /**
   * DESCRIBE of an access rule the caller may query: its columns and the pseudo-columns, with
   * types; nothing about the dataset or the rule's filter.
   */
  /** DESCRIBE of a table that is not a dataset: an access rule or a rosetta_stone table. */
  StatementResult describeRule(
      String statementId, org.apache.calcite.schema.Table rule, SqlDescribeDataset node) {
    List<ResultColumn> cols = DESCRIBE_COLUMNS;
    List<Object[]> rows = new ArrayList<>();
    RelDataType row =
        rule.getRowType(new JavaTypeFactoryImpl(io.nql.planner.plan.NqlTypeSystem.INSTANCE));
    for (RelDataTypeField f : row.getFieldList()) {
      if (node.getColumn() != null && !node.getColumn().getSimple().equals(f.getName())) {
        continue;
      }
      rows.add(
          new Object[] {
            f.getName(), DatasetTypes.typeText(f.getType()), f.getType().isNullable(), null
          });
    }
    return StatementResults.rows(statementId, cols, rows);
  }

  List<VisibleTable> visibleTables() {
    List<VisibleTable> out = new ArrayList<>();
    for (Dataset d : engine.warehouse().datasets(company.id())) {
      List<ResultColumn> cols = new ArrayList<>();
      if (d.inPlane()) {
        for (PlaneSource.Column c : d.plane().columns()) {
          cols.add(
              DatasetTypes.column(
                  c.name(), IcebergTypes.toRelType(c.type(), c.nullable(), typeFactory)));
        }
        out.add(new VisibleTable(Namespaces.COMPANY_DATA, d.name(), "TABLE", null, cols));
        continue;
      }
      Table t = engine.warehouse().loadTable(d);
      RelDataType row = IcebergTypes.rowType(t.schema(), typeFactory);
      for (RelDataTypeField f : row.getFieldList()) {
        cols.add(DatasetTypes.column(f.getName(), f.getType()));
      }
      out.add(new VisibleTable(Namespaces.COMPANY_DATA, d.name(), "TABLE", null, cols));
    }
    return out;
  }

  /**
   * Checks the target of a load: {@link #ownDatasetName}'s checks, and, when the dataset exists,
   * the refusal of {@link PlaneDatasets#refuseInPlane} (before anything connects or reads).
   */
  void refuseInPlane(SqlIdentifier target, String verb) {
    find(target, ownDatasetName(target)).ifPresent(d -> PlaneDatasets.refuseInPlane(d, verb));
  }

  /** The caller's dataset {@code company_data.<name>} (or {@code company_data."<id>"}). */
  Dataset own(SqlIdentifier target) {
    String name = ownDatasetName(target);
    return find(target, name).orElseThrow(() -> unknownTable(Names.written(target)));
  }

  /** The dataset name of {@code company_data.<name>}; anything else is an unknown table. */
  String ownDatasetName(SqlIdentifier id) {
    if (id.names.size() == 2 && Namespaces.COMPANY_DATA.equals(id.names.get(0))) {
      String name = id.names.get(1);
      if (name.equals(AuditTable.NAME) || name.equals(LedgerTable.NAME)) {
        // System tables are read by queries only: nothing writes the ledger or the audit log but
        // the gateway, and the audit log only by appending.
        throw new NqlException(
            ErrorCode.WRONG_OBJECT_TYPE,
            "Cannot use "
                + Names.written(id)
                + " here: it is a read-only system table (read it with SELECT)");
      }
      return name;
    }
    if (id.names.size() == 1) {
      throw new NqlException(
          ErrorCode.INVALID_SCHEMA,
          "Table "
              + Names.written(id)
              + " must be qualified with a schema: company_data, a company slug or narrative");
    }
    throw unknownTable(Names.written(id));
  }

  private Optional<Dataset> find(SqlIdentifier written, String name) {
    if (!isNumeric(name)) {
      return engine.warehouse().dataset(company.id(), name);
    }
    try { // digits only name a dataset id, never a name (see CompanyDataSchema)
      return engine.warehouse().datasetById(company.id(), Long.parseLong(name));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean isNumeric(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }

  static NqlException unknownTable(String written) {
    return new NqlException(
        ErrorCode.UNKNOWN_TABLE, "Unknown table or insufficient table permissions: " + written);
  }

  private static long summaryLong(Snapshot s, String key) {
    String v = s.summary().get(key);
    return v == null ? 0 : Long.parseLong(v);
  }

  private static String partitioning(PartitionSpec spec) {
    if (spec.isUnpartitioned()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    for (PartitionField f : spec.fields()) {
      parts.add(
          spec.schema().findColumnName(f.sourceId())
              + " "
              + f.transform().toString().toUpperCase(Locale.ROOT));
    }
    return String.join(", ", parts);
  }

  private static String transformOf(PartitionSpec spec, int fieldId) {
    for (PartitionField f : spec.fields()) {
      if (f.sourceId() == fieldId) {
        return f.transform().toString().toUpperCase(Locale.ROOT);
      }
    }
    return null;
  }
}
