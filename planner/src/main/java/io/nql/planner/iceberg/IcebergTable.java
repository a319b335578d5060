package io.nql.planner.iceberg;

import java.util.function.Supplier;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.iceberg.Table;

/**
 * A Calcite table over one Iceberg table. The Iceberg table is loaded on first use and then kept
 * for the life of this object (one statement's schema), so a statement sees one snapshot.
 *
 * <p>Column types follow {@link IcebergTypes}. Scans start as an {@link IcebergTableScan} of all
 * columns; {@link IcebergRules} narrow them.
 */
public final class IcebergTable extends AbstractTable implements TranslatableTable {
  private final Supplier<Table> loader;
  private final long ownerCompanyId;
  private final long datasetId;
  private volatile Table table;

  /** A table loaded lazily from {@code loader} (called at most once), of no known dataset. */
  public IcebergTable(Supplier<Table> loader) {
    this(-1, -1, loader);
  }

  /**
   * The table of a company's dataset, loaded lazily from {@code loader} (called at most once).
   *
   * @param ownerCompanyId the owning company, -1 when not a dataset
   * @param datasetId the dataset's id, -1 when not a dataset
   */
  public IcebergTable(long ownerCompanyId, long datasetId, Supplier<Table> loader) {
    this.ownerCompanyId = ownerCompanyId;
    this.datasetId = datasetId;
    this.loader = loader;
  }

  /** The owning company of the dataset this table holds, or -1. */
  public long ownerCompanyId() {
    return ownerCompanyId;
  }

  /** The id of the dataset this table holds, or -1. */
  public long datasetId() {
    return datasetId;
  }

  /** The Iceberg table, loading it on first call. */
  public Table icebergTable() {
    Table t = table;
    if (t == null) {
      synchronized (this) {
        if (table == null) {
          table = loader.get();
        }
        t = table;
      }
    }
    return t;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    return IcebergTypes.rowType(icebergTable().schema(), typeFactory);
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    return IcebergTableScan.create(context.getCluster(), relOptTable, this);
  }
}
