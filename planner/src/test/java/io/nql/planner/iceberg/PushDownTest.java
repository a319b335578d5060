package io.nql.planner.iceberg;

import static io.nql.planner.testing.IcebergTestTables.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.catalog.CallerSchemas;
import io.nql.planner.catalog.DatasetHandle;
import io.nql.planner.exec.QueryExecutor;
import io.nql.planner.exec.QueryResult;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.testing.IcebergTestTables;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 30 days of events partitioned by day, one file per day, 10 rows per file. */
class PushDownTest {
  @TempDir static Path dir;
  static SchemaPlus root;

  @BeforeAll
  static void setUp() {
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "event_ts", Types.TimestampType.withZone()),
            Types.NestedField.required(2, "user_id", Types.LongType.get()),
            Types.NestedField.optional(3, "kind", Types.StringType.get()));
    Table events =
        new IcebergTestTables(dir)
            .create("events", schema, PartitionSpec.builderFor(schema).day("event_ts").build());
    for (int day = 0; day < 30; day++) {
      List<Record> rows = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        OffsetDateTime ts =
            OffsetDateTime.of(2024, 6, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusDays(day).plusHours(i);
        // user_id is clustered by day: day d holds users d*100 .. d*100+9.
        rows.add(record(events, ts, day * 100L + i, i % 2 == 0 ? "view" : "click"));
      }
      IcebergTestTables.appendFile(events, rows);
    }
    root =
        CallerSchemas.forCompany(
            1, List.of(), c -> List.of(new DatasetHandle(5, "events", () -> events)));
  }

  private static List<List<Object>> run(String sql, ScanMetrics metrics) throws Exception {
    try (QueryResult r = new QueryExecutor().execute(NqlParser.parse(sql), root, metrics)) {
      List<List<Object>> rows = new ArrayList<>();
      while (r.next()) {
        rows.add(Arrays.asList(r.row()));
      }
      return rows;
    }
  }

  @Test
  void oneDayPredicatePlansOneFile() throws Exception {
    ScanMetrics m = new ScanMetrics();
    List<List<Object>> rows =
        run(
            "SELECT count(*), min(event_ts) FROM company_data.events"
                + " WHERE event_ts >= TIMESTAMP '2024-06-10 00:00:00'"
                + " AND event_ts < TIMESTAMP '2024-06-11 00:00:00'",
            m);
    assertThat(rows)
        .containsExactly(List.of(10L, OffsetDateTime.of(2024, 6, 10, 0, 0, 0, 0, ZoneOffset.UTC)));
    assertThat(m.filesInSnapshot()).isEqualTo(30);
    assertThat(m.filesPlanned()).isEqualTo(1);
    assertThat(m.filesSkipped()).isEqualTo(29);
    assertThat(m.rowsRead()).isEqualTo(10);
    assertThat(m.bytesPlanned()).isPositive();
  }

  @Test
  void nonPartitionColumnSkipsFilesByBounds() throws Exception {
    ScanMetrics m = new ScanMetrics();
    List<List<Object>> rows =
        run("SELECT user_id FROM company_data.events WHERE user_id IN (305, 1207) ORDER BY 1", m);
    assertThat(rows).containsExactly(List.of(305L), List.of(1207L));
    assertThat(m.filesPlanned()).isEqualTo(2);
    assertThat(m.filesSkipped()).isEqualTo(28);
  }

  @Test
  void prefixLikeAndUntranslatablePredicatesStayCorrect() throws Exception {
    ScanMetrics m = new ScanMetrics();
    // The OR with an expression cannot be pushed: every file is read, the filter still applies.
    List<List<Object>> rows =
        run(
            "SELECT count(*) FROM company_data.events"
                + " WHERE kind LIKE 'cl%' AND (user_id + 1 = 2 OR user_id = 2909)",
            m);
    // user 1 (day 0, hour 1) and user 2909 (day 29, hour 9) are both clicks.
    assertThat(rows).containsExactly(List.of(2L));
    assertThat(m.filesPlanned()).isEqualTo(30);
    assertThat(m.rowsRead()).isEqualTo(300);
  }

  @Test
  void noFilterReadsEverything() throws Exception {
    ScanMetrics m = new ScanMetrics();
    assertThat(run("SELECT count(*) FROM company_data.events", m)).containsExactly(List.of(300L));
    assertThat(m.filesPlanned()).isEqualTo(30);
    assertThat(m.filesSkipped()).isZero();
    assertThat(m.rowsRead()).isEqualTo(300);
  }

  @Test
  void explainShowsPushedFilterAndColumns() throws Exception {
    List<List<Object>> rows =
        run(
            "EXPLAIN PLAN FOR SELECT user_id FROM company_data.events"
                + " WHERE kind = 'view' AND user_id > 5",
            new ScanMetrics());
    String plan = (String) rows.get(0).get(0);
    assertThat(plan)
        .contains("IcebergTableScan(table=[[company_data, events]], columns=[[user_id, kind]]")
        .contains("ref(name=\"kind\") == \"view\"")
        .contains("EnumerableCalc");
  }
}
