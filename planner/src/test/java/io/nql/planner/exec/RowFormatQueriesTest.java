package io.nql.planner.exec;

import static io.nql.planner.testing.IcebergTestTables.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.catalog.CallerSchemas;
import io.nql.planner.catalog.DatasetHandle;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.testing.IcebergTestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries whose plans pass one-column scan rows to operators that re-derive the row format of their
 * input (merge join key selectors, set operations). Regression for scans that produced {@code
 * Object[]} rows where Calcite expects bare values.
 *
 * <p>users: user_id BIGINT 0..599, user_name; events: 5000 rows, user_id INTEGER = i % 500,
 * is_mobile = (user_id % 3 = 0). So users 500..599 have no events, and mobile events have user_id ≡
 * 0 (mod 3) below 500.
 */
class RowFormatQueriesTest {
  @TempDir static Path dir;
  static SchemaPlus root;

  @BeforeAll
  static void setUp() {
    IcebergTestTables t = new IcebergTestTables(dir);
    Table users =
        t.create(
            "users",
            new Schema(
                Types.NestedField.optional(1, "user_id", Types.LongType.get()),
                Types.NestedField.optional(2, "user_name", Types.StringType.get())),
            PartitionSpec.unpartitioned());
    List<Record> userRows = new ArrayList<>();
    for (long i = 0; i < 600; i++) {
      userRows.add(record(users, i, "user_" + i));
    }
    IcebergTestTables.appendFile(users, userRows);
    Table events =
        t.create(
            "events",
            new Schema(
                Types.NestedField.optional(1, "event_id", Types.LongType.get()),
                Types.NestedField.optional(2, "user_id", Types.IntegerType.get()),
                Types.NestedField.optional(3, "is_mobile", Types.BooleanType.get())),
            PartitionSpec.unpartitioned());
    List<Record> eventRows = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      eventRows.add(record(events, (long) i, i % 500, i % 500 % 3 == 0));
    }
    IcebergTestTables.appendFile(events, eventRows);
    List<DatasetHandle> datasets =
        List.of(
            new DatasetHandle(1, "users", () -> users),
            new DatasetHandle(2, "events", () -> events));
    root = CallerSchemas.forCompany(1, List.of(), company -> datasets);
  }

  static List<List<Object>> run(String sql) {
    try (QueryResult r = new QueryExecutor().execute(parse(sql), root, new ScanMetrics())) {
      List<List<Object>> rows = new ArrayList<>();
      while (r.next()) {
        rows.add(Arrays.asList(r.row()));
      }
      return rows;
    }
  }

  static String plan(String sql) {
    return new QueryExecutor().explain(parse(sql), root);
  }

  private static org.apache.calcite.sql.SqlNode parse(String sql) {
    return NqlParser.parse(sql);
  }

  private static List<List<Object>> longs(LongStream values) {
    return values.mapToObj(v -> List.<Object>of(v)).toList();
  }

  @Test
  void notExistsOverMergeJoin() {
    String sql =
        "SELECT COUNT(*) AS n FROM company_data.users u WHERE NOT EXISTS"
            + " (SELECT 1 FROM company_data.events e WHERE e.user_id = u.user_id)";
    assertThat(plan(sql)).contains("EnumerableMergeJoin");
    assertThat(run(sql)).containsExactly(List.of(100L));
  }

  @Test
  void existsWithSingleColumnSides() {
    assertThat(
            run(
                "SELECT u.user_id FROM company_data.users u WHERE EXISTS (SELECT 1 FROM"
                    + " company_data.events e WHERE e.user_id = u.user_id AND e.event_id < 3)"))
        .containsExactlyInAnyOrderElementsOf(longs(LongStream.of(0, 1, 2)));
  }

  @Test
  void exceptOfBigintAndFilteredInteger() {
    // users.user_id is BIGINT, events.user_id INTEGER (cast to BIGINT); the right side is filtered.
    assertThat(
            run(
                "SELECT user_id FROM company_data.users EXCEPT SELECT user_id"
                    + " FROM company_data.events WHERE is_mobile"))
        .containsExactlyInAnyOrderElementsOf(
            longs(LongStream.range(0, 600).filter(i -> i >= 500 || i % 3 != 0)));
  }

  @Test
  void intersectOfBigintAndFilteredInteger() {
    assertThat(
            run(
                "SELECT user_id FROM company_data.users INTERSECT SELECT user_id"
                    + " FROM company_data.events WHERE is_mobile"))
        .containsExactlyInAnyOrderElementsOf(
            longs(LongStream.range(0, 500).filter(i -> i % 3 == 0)));
  }

  @Test
  void unionOfBigintAndFilteredIntegerRemovesDuplicates() {
    assertThat(
            run(
                "SELECT user_id FROM company_data.users UNION SELECT user_id"
                    + " FROM company_data.events WHERE is_mobile"))
        .containsExactlyInAnyOrderElementsOf(longs(LongStream.range(0, 600)));
  }

  @Test
  void exceptAllCountsRows() {
    assertThat(
            run(
                "SELECT COUNT(*) FROM (SELECT user_id FROM company_data.events EXCEPT ALL"
                    + " SELECT user_id FROM company_data.users) t"))
        .containsExactly(List.of(4500L));
  }

  @Test
  void singleColumnScanSortedAndDistinct() {
    assertThat(run("SELECT DISTINCT user_id FROM company_data.events ORDER BY user_id LIMIT 3"))
        .containsExactly(List.of(0), List.of(1), List.of(2));
  }
}
