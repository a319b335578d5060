package io.nql.planner.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nql.planner.ingest.RecordWriter;
import io.nql.planner.testing.IcebergTestTables;
import java.nio.file.Path;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full-size demo write, timed. Opt-in: {@code -Dnql.demo.timing=true}. */
class DemoDataTimingTest {
  @TempDir Path dir;

  @Test
  void fullDemoWritesWellUnderAMinute() {
    assumeTrue(Boolean.getBoolean("nql.demo.timing"), "opt-in timing test");
    long start = System.nanoTime();
    Table events =
        IcebergTestTables.create(
            dir, "events", DemoData.MOBILE_EVENTS_SCHEMA, DemoData.MOBILE_EVENTS_SPEC);
    RecordWriter.AppendResult e = DemoData.writeMobileEvents(events, DemoData.MOBILE_EVENTS_ROWS);
    long t1 = System.nanoTime();
    Table purchases =
        IcebergTestTables.create(
            dir, "purchases", DemoData.PURCHASES_SCHEMA, DemoData.PURCHASES_SPEC);
    RecordWriter.AppendResult p = DemoData.writePurchases(purchases, DemoData.PURCHASES_ROWS);
    long t2 = System.nanoTime();
    Table visits =
        IcebergTestTables.create(
            dir, "visits", DemoData.WEB_VISITS_SCHEMA, DemoData.WEB_VISITS_SPEC);
    RecordWriter.AppendResult v = DemoData.writeWebVisits(visits, DemoData.WEB_VISITS_ROWS);
    long t3 = System.nanoTime();
    System.out.printf(
        "DEMO-TIMING mobile_events %d rows %d files %d bytes %.1f s; purchases %d rows %.1f s;"
            + " web_visits %d rows %.1f s; total %.1f s%n",
        e.rows(),
        e.dataFiles().size(),
        e.bytes(),
        (t1 - start) / 1e9,
        p.rows(),
        (t2 - t1) / 1e9,
        v.rows(),
        (t3 - t2) / 1e9,
        (t3 - start) / 1e9);
    assertThat(e.rows() + p.rows() + v.rows()).isEqualTo(1_050_000);
    assertThat((t3 - start) / 1e9).isLessThan(60);
  }
}
