package io.nql.planner.catalog;

import io.nql.planner.iceberg.IcebergTable;
import io.nql.planner.iceberg.IcebergTableScan;
import io.nql.planner.iceberg.Lineage;
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
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.sql.type.SqlTypeName;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The caller's datasets with their rows' {@linkplain Lineage lineage}: a schema {@value #SCHEMA}
 * whose {@code company_data} holds each of the caller's datasets with row lineage, its columns
 * followed by {@link Lineage#ROW_ID} and {@link Lineage#LAST_UPDATED}. A copy-on-write {@code
 * DELETE} or {@code UPDATE} reads its dataset there, so that the rows it writes again keep their
 * ids. Only the caller's own datasets are there, and only for those statements.
 */
public final class LineageTables {
  /** The schema's name: not a company slug (slugs have no {@code $}). */
  public static final String SCHEMA = "$lineage";

  private LineageTables() {}

  /** Adds the schema to a caller's root schema (one built for one statement). */
  public static void add(SchemaPlus root) {
    SchemaPlus own = root.getSubSchema(Namespaces.COMPANY_DATA);
    Map<String, Table> tables = new HashMap<>();
    SchemaPlus lineage = root.add(SCHEMA, new AbstractSchema());
    lineage.add(
        Namespaces.COMPANY_DATA,
        new AbstractSchema() {
          @Override
          protected Map<String, Table> getTableMap() {
            synchronized (tables) {
              if (tables.isEmpty() && own != null) {
                for (String name : own.tables().getNames(LikePattern.any())) {
                  Table t = own.tables().get(name);
                  if (t instanceof IcebergTable dataset
                      && dataset.datasetId() >= 0
                      && Lineage.tracked(dataset.icebergTable())) {
                    tables.put(name, new WithLineage(dataset));
                  }
                }
              }
              return tables;
            }
          }
        });
  }

  /** Whether a dataset is in the schema: one of the caller's, with row lineage. */
  public static boolean has(IcebergTable dataset) {
    return dataset.datasetId() >= 0 && Lineage.tracked(dataset.icebergTable());
  }

  /** A dataset with its two lineage columns after its own. */
  private static final class WithLineage extends AbstractTable
      implements TranslatableTable, Wrapper {
    private final IcebergTable table;

    WithLineage(IcebergTable table) {
      this.table = table;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
      RelDataType id =
          typeFactory.createTypeWithNullability(
              typeFactory.createSqlType(SqlTypeName.BIGINT), true);
      return typeFactory
          .builder()
          .addAll(table.getRowType(typeFactory).getFieldList())
          .add(Lineage.ROW_ID, id)
          .add(Lineage.LAST_UPDATED, id)
          .build();
    }

    @Override
    public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
      return IcebergTableScan.create(context.getCluster(), relOptTable, table);
    }

    @Override
    public <C extends Object> @Nullable C unwrap(Class<C> aClass) {
      return aClass.isInstance(table) ? aClass.cast(table) : super.unwrap(aClass);
    }
  }
}
