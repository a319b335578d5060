package io.nql.planner.iceberg;

import static io.nql.planner.testing.IcebergTestTables.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.testing.IcebergTestTables;
import java.nio.file.Path;
import java.util.List;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.prepare.RelOptTableImpl;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalUnion;
import org.apache.calcite.rex.RexBuilder;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two scans are one plan node only if they read the same Iceberg table at the same snapshot for the
 * same purpose: the name a caller wrote ({@code company_data."1"} exists in every company's
 * namespace) never decides it. The planners merge nodes with equal digests (Hep in DAG mode,
 * Volcano), so a digest that ignored the table would let one company's scan read another's rows.
 */
class ScanIdentityTest {
  @TempDir static Path dir;
  static Table providers;
  static Table buyers;
  static RelOptCluster cluster;

  @BeforeAll
  static void setUp() {
    Schema schema =
        new Schema(
            Types.NestedField.optional(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "email", Types.StringType.get()));
    IcebergTestTables tables = new IcebergTestTables(dir);
    providers = tables.create("providers", schema, PartitionSpec.unpartitioned());
    IcebergTestTables.appendFile(providers, List.of(record(providers, 1L, "secret@example.com")));
    buyers = tables.create("buyers", schema, PartitionSpec.unpartitioned());
    cluster = RelOptCluster.create(new VolcanoPlanner(), new RexBuilder(new JavaTypeFactoryImpl()));
  }

  /** A scan of {@code table} under the name every company can write. */
  private static IcebergTableScan scan(Table table) {
    IcebergTable t = new IcebergTable(() -> table);
    RelOptTable relOptTable =
        RelOptTableImpl.create(
            null,
            t.getRowType(cluster.getTypeFactory()),
            t,
            com.google.common.collect.ImmutableList.of("company_data", "1"));
    return IcebergTableScan.create(cluster, relOptTable, t);
  }

  @Test
  void scansOfTwoTablesUnderOneNameDiffer() {
    assertThat(scan(providers).getDigest()).isNotEqualTo(scan(buyers).getDigest());
  }

  @Test
  void scansOfOneTableForTwoPurposesDiffer() {
    IcebergTableScan plain = scan(providers);
    assertThat(plain.withPurpose("rule 7 v1").getDigest()).isNotEqualTo(plain.getDigest());
    assertThat(plain.withPurpose("rule 7 v1").getDigest())
        .isNotEqualTo(plain.withPurpose("rule 8 v1").getDigest());
    // The same table, snapshot and purpose is the same node: merging those is exact.
    assertThat(scan(providers).getDigest()).isEqualTo(plain.getDigest());
  }

  @Test
  void hepInDagModeKeepsBothScans() {
    RelNode union = LogicalUnion.create(List.of(scan(providers), scan(buyers)), true);
    HepPlanner hep = new HepPlanner(HepProgram.builder().build());
    hep.setRoot(union);
    RelNode best = hep.findBestExp();
    IcebergTableScan left = (IcebergTableScan) best.getInput(0);
    IcebergTableScan right = (IcebergTableScan) best.getInput(1);
    assertThat(left.getTable().unwrap(IcebergTable.class).icebergTable().uuid())
        .isNotEqualTo(right.getTable().unwrap(IcebergTable.class).icebergTable().uuid());
  }

  @Test
  void planTextShowsThePurposeButNotTheIdentity() {
    String text =
        org.apache.calcite.plan.RelOptUtil.toString(scan(providers).withPurpose("rule 7 v1"));
    assertThat(text).contains("purpose=[rule 7 v1]").doesNotContain(providers.uuid().toString());
  }
}
