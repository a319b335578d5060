package io.nql.planner.plane.postgres;

import io.nql.planner.iceberg.IcebergTypes;
import io.nql.planner.plane.PlaneConnector;
import io.nql.planner.store.PlaneSource;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A company's dataset whose rows rest in a table of one of its PostgreSQL data planes. Its columns
 * are the source's, as read when the dataset was created ({@link PlaneSource}); scans start as a
 * {@link PostgresPlaneScan} of every column, and {@link PostgresPlaneRules} push projections and
 * filters into the SQL sent to the plane.
 */
public final class PostgresPlaneTable extends AbstractTable implements TranslatableTable {
  private final long ownerCompanyId;
  private final long datasetId;
  private final String datasetName;
  private final PlaneSource source;
  private final PlaneConnector connector;

  /**
   * @param ownerCompanyId the owning company (whose plane it is)
   * @param datasetId the dataset's id
   * @param datasetName the dataset's name, for the owner's messages
   * @param source the plane, its table and columns
   * @param connector opens connections to the plane when a scan runs
   */
  public PostgresPlaneTable(
      long ownerCompanyId,
      long datasetId,
      String datasetName,
      PlaneSource source,
      PlaneConnector connector) {
    this.ownerCompanyId = ownerCompanyId;
    this.datasetId = datasetId;
    this.datasetName = datasetName;
    this.source = source;
    this.connector = connector;
  }

  public long ownerCompanyId() {
    return ownerCompanyId;
  }

  public long datasetId() {
    return datasetId;
  }

  public String datasetName() {
    return datasetName;
  }

  public PlaneSource source() {
    return source;
  }

  PlaneConnector connector() {
    return connector;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataTypeFactory.Builder b = typeFactory.builder();
    for (PlaneSource.Column c : source.columns()) {
      b.add(c.name(), IcebergTypes.toRelType(c.type(), c.nullable(), typeFactory));
    }
    return b.build();
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    return PostgresPlaneScan.create(context.getCluster(), relOptTable, this);
  }
}
