package io.nql.planner.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.result.ProgressListener;
import io.nql.planner.testing.IcebergTestTables;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetAndJsonLoadTest {
  @TempDir Path dir;

  /** A Parquet file written by DuckDB (no Iceberg field ids). */
  static Path duckDbParquet(Path dir, String name, String select) throws Exception {
    Path file = dir.resolve(name);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      s.execute("COPY (" + select + ") TO '" + file + "' (FORMAT parquet)");
    }
    return file;
  }

  static final String DUCK_SELECT =
      "SELECT i::BIGINT AS id, 'name ' || i AS \"Full Name\","
          + " CAST(i * 1.25 AS DECIMAL(10,2)) AS amount,"
          + " DATE '2026-10-01' + i::INTEGER AS day,"
          + " TIMESTAMP '2026-10-01 12:00:00' + INTERVAL (i) HOUR AS local_ts,"
          + " TIMESTAMPTZ '2026-10-01 00:00:00+00' + INTERVAL (i) MINUTE AS event_ts,"
          + " CASE WHEN i % 2 = 0 THEN NULL ELSE i * 0.5 END AS score,"
          + " i % 3 = 0 AS flag"
          + " FROM range(0, 4) t(i)";

  @Test
  void parquetFromDuckDbIntoExistingTable() throws Exception {
    Path file = duckDbParquet(dir, "duck.parquet", DUCK_SELECT);
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "full_name", Types.StringType.get()),
            Types.NestedField.optional(3, "amount", Types.DecimalType.of(12, 2)),
            Types.NestedField.optional(4, "day", Types.DateType.get()),
            Types.NestedField.optional(5, "local_ts", Types.TimestampType.withoutZone()),
            Types.NestedField.optional(6, "event_ts", Types.TimestampType.withZone()),
            Types.NestedField.optional(7, "score", Types.DoubleType.get()),
            Types.NestedField.optional(8, "flag", Types.BooleanType.get()));
    Table table = IcebergTestTables.create(dir, "duck", schema);

    LoadResult result = CopyLoader.load(table, file, CopyOptions.defaults(), ProgressListener.NONE);

    assertThat(result.rowsLoaded()).isEqualTo(4);
    List<Record> rows = IcebergTestTables.rows(table, "id");
    Record r3 = rows.get(3);
    assertThat(r3.getField("id")).isEqualTo(3L);
    assertThat(r3.getField("full_name")).isEqualTo("name 3");
    assertThat(r3.getField("amount")).isEqualTo(new BigDecimal("3.75"));
    assertThat(r3.getField("day")).isEqualTo(LocalDate.of(2026, 10, 4));
    assertThat(r3.getField("local_ts")).isEqualTo(LocalDateTime.of(2026, 10, 1, 15, 0));
    assertThat(r3.getField("event_ts"))
        .isEqualTo(OffsetDateTime.of(2026, 10, 1, 0, 3, 0, 0, ZoneOffset.UTC));
    assertThat(r3.getField("score")).isEqualTo(1.5);
    assertThat(r3.getField("flag")).isEqualTo(true);
    assertThat(rows.get(0).getField("score")).isNull();
  }

  @Test
  void parquetSchemaIsInferredFromTheFile() throws Exception {
    Path file = duckDbParquet(dir, "duck.parquet", DUCK_SELECT);
    Schema schema = SchemaInference.inferSchema(file, CopyOptions.defaults());
    assertThat(schema.columns())
        .extracting(f -> f.name() + " " + f.type() + (f.isOptional() ? "" : " required"))
        .containsExactly(
            "id long",
            "full_name string",
            "amount decimal(10, 2)",
            "day date",
            "local_ts timestamp",
            "event_ts timestamptz",
            "score decimal(21, 1)",
            "flag boolean");
    Table table = IcebergTestTables.create(dir, "inferred", schema);
    CopyLoader.load(table, file, CopyOptions.defaults(), ProgressListener.NONE);
    assertThat(IcebergTestTables.rows(table, "id"))
        .extracting(r -> r.getField("full_name"))
        .containsExactly("name 0", "name 1", "name 2", "name 3");
  }

  @Test
  void jsonLinesWithNestedValuesAsText() throws Exception {
    Path file = dir.resolve("events.jsonl");
    Files.writeString(
        file,
        "{\"id\": 1, \"name\": \"Café\", \"amount\": 10.50, \"at\": \"2026-10-01T08:00:00Z\","
            + " \"tags\": [\"a\", \"b\"], \"ok\": true}\n"
            + "\n"
            + "{\"id\": 2, \"name\": \"東京\", \"amount\": 3, \"at\": null,"
            + " \"meta\": {\"k\": 1}}\n");
    Schema schema = SchemaInference.inferSchema(file, CopyOptions.defaults());
    assertThat(schema.columns())
        .extracting(f -> f.name() + " " + f.type())
        .containsExactly(
            "id long",
            "name string",
            "amount decimal(4, 2)",
            "at timestamptz",
            "tags string",
            "ok boolean",
            "meta string");
    Table table = IcebergTestTables.create(dir, "events", schema);

    CopyLoader.load(table, file, CopyOptions.defaults(), ProgressListener.NONE);

    List<Record> rows = IcebergTestTables.rows(table, "id");
    assertThat(rows.get(0).getField("name")).isEqualTo("Café");
    assertThat(rows.get(0).getField("amount")).isEqualTo(new BigDecimal("10.50"));
    assertThat(rows.get(0).getField("at"))
        .isEqualTo(OffsetDateTime.of(2026, 10, 1, 8, 0, 0, 0, ZoneOffset.UTC));
    assertThat(rows.get(0).getField("tags")).isEqualTo("[\"a\",\"b\"]");
    assertThat(rows.get(0).getField("ok")).isEqualTo(true);
    assertThat(rows.get(0).getField("meta")).isNull();
    assertThat(rows.get(1).getField("name")).isEqualTo("東京");
    assertThat(rows.get(1).getField("amount")).isEqualTo(new BigDecimal("3.00"));
    assertThat(rows.get(1).getField("at")).isNull();
    assertThat(rows.get(1).getField("meta")).isEqualTo("{\"k\":1}");
    assertThat(rows.get(1).getField("ok")).isNull();
  }

  @Test
  void partitionedLoadWritesOneFilePerDay() throws Exception {
    Schema schema =
        new Schema(
            Types.NestedField.optional(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "event_ts", Types.TimestampType.withZone()));
    Table table =
        IcebergTestTables.create(
            dir, "daily", schema, PartitionSpec.builderFor(schema).day("event_ts").build());
    StringBuilder sb = new StringBuilder("id,event_ts\n");
    for (int i = 0; i < 300; i++) {
      sb.append(i).append(",2026-10-0").append(1 + i % 3).append("T23:30:00Z\n");
    }
    Path file = dir.resolve("daily.csv");
    Files.writeString(file, sb.toString());

    LoadResult result = CopyLoader.load(table, file, CopyOptions.defaults(), ProgressListener.NONE);

    assertThat(result.rowsLoaded()).isEqualTo(300);
    assertThat(result.dataFiles()).isEqualTo(3);
    assertThat(IcebergTestTables.dataFilesOnDisk(table))
        .extracting(p -> p.getParent().getFileName().toString())
        .containsExactlyInAnyOrder(
            "event_ts_day=2026-10-01", "event_ts_day=2026-10-02", "event_ts_day=2026-10-03");
    table.refresh();
    assertThat(table.currentSnapshot().summary()).containsEntry("added-data-files", "3");
    assertThat(IcebergTestTables.rows(table, "id")).hasSize(300);
  }
}
