package io.nql.planner.catalog;

import io.nql.planner.iceberg.DeltaRead;
import io.nql.planner.iceberg.IcebergTable;
import io.nql.planner.iceberg.IcebergTableScan;
import io.nql.planner.iceberg.IncrementalTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.Wrapper;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.schema.lookup.LikePattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The tables a materialized view run reads incrementally ({@code DELTA(TABLE …)}): a schema {@value
 * #SCHEMA} beside the caller's namespaces, with one sub-schema per namespace holding what the
 * caller may read incrementally there, read through one {@link DeltaRead}: its own datasets and
 * views under {@code company_data}, and every access rule it can read (its own, and those shared
 * with it under their owners' names). A rule read incrementally is the rule over its dataset's new
 * rows ({@link IncrementalTable}). The ledger, {@code information_schema} and the Rosetta Stone are
 * not there (see {@code engine.DeltaQueries}, which refuses them by name).
 */
public final class DeltaTables {
  /** The schema's name: not a company slug (slugs have no {@code $}), never written by users. */
  public static final String SCHEMA = "$delta";

  private DeltaTables() {}

  /**
   * Whether {@code names} ({@code namespace.table}) is something the caller may read incrementally
   * in {@code root}: one of its datasets or views, or an access rule.
   */
  public static boolean readable(SchemaPlus root, List<String> names) {
    return names.size() == 2 && incremental(root, names.get(0), names.get(1)) != null;
  }

  /**
   * Adds the schema to a caller's root schema.
   *
   * @param root a root schema built for one statement ({@link CallerSchemas})
   * @param read the run's positions
   */
  public static void add(SchemaPlus root, DeltaRead read) {
    SchemaPlus delta = root.add(SCHEMA, new AbstractSchema());
    for (String namespace : root.subSchemas().getNames(LikePattern.any())) {
      if (namespace.equals(SCHEMA)) {
        continue;
      }
      Map<String, Table> tables = new HashMap<>();
      delta.add(
          namespace,
          new AbstractSchema() {
            @Override
            protected Map<String, Table> getTableMap() {
              synchronized (tables) {
                if (tables.isEmpty()) {
                  SchemaPlus ns = root.getSubSchema(namespace);
                  for (String name : ns.tables().getNames(LikePattern.any())) {
                    Table t = incremental(root, namespace, name);
                    if (t instanceof IcebergTable dataset) {
                      tables.put(name, new Delta(dataset, read, namespace + "." + name));
                    } else if (t instanceof IncrementalTable rule) {
                      tables.put(name, rule.incremental(read, namespace + "." + name));
                    }
                  }
                }
                return tables;
              }
            }
          });
    }
  }

  /** The table {@code namespace.name} when it can be read incrementally, else null. */
  private static @Nullable Table incremental(SchemaPlus root, String namespace, String name) {
    if (namespace.equals(SCHEMA)
        || namespace.equals(Namespaces.NARRATIVE)
        || namespace.equals(Namespaces.INFORMATION_SCHEMA)) {
      return null;
    }
    SchemaPlus ns = root.getSubSchema(namespace);
    Table t = ns == null ? null : ns.tables().get(name);
    if (t instanceof IcebergTable dataset
        && dataset.datasetId() >= 0
        && namespace.equals(Namespaces.COMPANY_DATA)) {
      return t;
    }
    return t instanceof IncrementalTable ? t : null;
  }

  /** A dataset read incrementally: its scans are {@link IcebergTableScan#withDelta} scans. */
  private static final class Delta extends AbstractTable implements TranslatableTable, Wrapper {
    private final IcebergTable table;
    private final DeltaRead read;
    private final String name;

    Delta(IcebergTable table, DeltaRead read, String name) {
      this.table = table;
      this.read = read;
      this.name = name;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
      return table.getRowType(typeFactory);
    }

    @Override
    public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
      return IcebergTableScan.create(context.getCluster(), relOptTable, table)
          .withDelta(read, name);
    }

    @Override
    public <C extends Object> @Nullable C unwrap(Class<C> aClass) {
      // the dataset's table, for statistics and forecasts (a delta reads at most all of it)
      return aClass.isInstance(table) ? aClass.cast(table) : super.unwrap(aClass);
    }
  }
}
