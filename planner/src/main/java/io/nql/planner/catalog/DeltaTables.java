package io.nql.planner.catalog;

import io.nql.planner.iceberg.DeltaRead;
import io.nql.planner.iceberg.IcebergTable;
import io.nql.planner.iceberg.IcebergTableScan;
import java.util.HashMap;
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
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The tables a materialized view run reads incrementally ({@code DELTA(TABLE company_data.x)}): a
 * schema {@value #SCHEMA} beside the caller's namespaces, whose {@code company_data} holds the
 * caller's datasets read through one {@link DeltaRead}. Only datasets are there: the caller's rules
 * and the ledger are not (see {@code engine.DeltaQueries}, which refuses them by name).
 */
public final class DeltaTables {
  /** The schema's name: not a company slug (slugs have no {@code $}), never written by users. */
  public static final String SCHEMA = "$delta";

  private DeltaTables() {}

  /**
   * Adds the schema to a caller's root schema.
   *
   * @param root a root schema built for one statement ({@link CallerSchemas})
   * @param read the run's positions
   */
  public static void add(SchemaPlus root, DeltaRead read) {
    SchemaPlus own = root.getSubSchema(Namespaces.COMPANY_DATA);
    Map<String, Table> tables = new HashMap<>();
    if (own != null) {
      for (String name :
          own.tables().getNames(org.apache.calcite.schema.lookup.LikePattern.any())) {
        Table t = own.tables().get(name);
        if (t instanceof IcebergTable dataset && dataset.datasetId() >= 0) {
          tables.put(name, new Delta(dataset, read, Namespaces.COMPANY_DATA + "." + name));
        }
      }
    }
    SchemaPlus delta = root.add(SCHEMA, new AbstractSchema());
    delta.add(
        Namespaces.COMPANY_DATA,
        new AbstractSchema() {
          @Override
          protected Map<String, Table> getTableMap() {
            return tables;
          }
        });
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
