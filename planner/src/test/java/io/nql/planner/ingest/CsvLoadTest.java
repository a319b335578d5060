package io.nql.planner.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.result.ProgressListener;
import io.nql.planner.testing.IcebergTestTables;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLoadTest {
  @TempDir Path dir;

  private static final Schema PEOPLE =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "name", Types.StringType.get()),
          Types.NestedField.optional(3, "note", Types.StringType.get()));

  private Path write(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  @Test
  void quotingEmbeddedNewlinesAndQuotedEmptyVersusNull() throws Exception {
    Table table = IcebergTestTables.create(dir, "people", PEOPLE);
    Path file =
        write(
            "people.csv",
            "id,name,note\r\n"
                + "1,\"Smith, Jane\",\"said \"\"hi\"\"\"\r\n"
                + "2,\"multi\nline\",\r\n"
                + "3,\"\",plain\r\n");

    LoadResult result = CopyLoader.load(table, file, CopyOptions.defaults(), ProgressListener.NONE);

    assertThat(result.rowsLoaded()).isEqualTo(3);
    assertThat(result.dataFiles()).isEqualTo(1);
    assertThat(result.snapshotId()).hasValue(IcebergTestTables.snapshotId(table));
    List<Record> rows = IcebergTestTables.rows(table, "id");
    assertThat(rows).extracting(r -> r.getField("id")).containsExactly(1L, 2L, 3L);
    assertThat(rows)
        .extracting(r -> r.getField("name"))
        .containsExactly("Smith, Jane", "multi\nline", "");
    assertThat(rows.get(0).getField("note")).isEqualTo("said \"hi\"");
    assertThat(rows.get(1).getField("note")).isNull();
    assertThat(rows.get(2).getField("note")).isEqualTo("plain");
  }

  @Test
  void typedColumnsConvertTextAndMissingColumnsAreNull() throws Exception {
    Schema schema =
        new Schema(
            Types.NestedField.optional(1, "flag", Types.BooleanType.get()),
            Types.NestedField.optional(2, "qty", Types.IntegerType.get()),
            Types.NestedField.optional(3, "price", Types.DecimalType.of(8, 2)),
            Types.NestedField.optional(4, "day", Types.DateType.get()),
            Types.NestedField.optional(5, "at", Types.TimestampType.withZone()),
            Types.NestedField.optional(6, "extra", Types.StringType.get()));
    Table table = IcebergTestTables.create(dir, "typed", schema);
    Path file =
        write(
            "typed.csv",
            "Flag,QTY,Price,Day,At\n"
                + "true, 7 ,12.345,2026-10-01,2026-10-01T10:00:00+02:00\n"
                + "f,,3,2026-10-02,2026-10-02 08:30:00\n");

    CopyLoader.load(table, file, CopyOptions.defaults(), ProgressListener.NONE);

    List<Record> rows = IcebergTestTables.rows(table, "day");
    assertThat(rows).hasSize(2);
    Record first = rows.get(0);
    assertThat(first.getField("flag")).isEqualTo(true);
    assertThat(first.getField("qty")).isEqualTo(7);
    assertThat(first.getField("price")).isEqualTo(new BigDecimal("12.35"));
    assertThat(first.getField("day")).isEqualTo(LocalDate.of(2026, 10, 1));
    assertThat(first.getField("at"))
        .isEqualTo(OffsetDateTime.of(2026, 10, 1, 8, 0, 0, 0, ZoneOffset.UTC));
    assertThat(first.getField("extra")).isNull();
    Record second = rows.get(1);
    assertThat(second.getField("flag")).isEqualTo(false);
    assertThat(second.getField("qty")).isNull();
    assertThat(second.getField("price")).isEqualTo(new BigDecimal("3.00"));
    assertThat(second.getField("at"))
        .isEqualTo(OffsetDateTime.of(2026, 10, 2, 8, 30, 0, 0, ZoneOffset.UTC));
  }

  @Test
  void noHeaderUsesGeneratedNames() throws Exception {
    Schema schema =
        new Schema(
            Types.NestedField.optional(1, "column_1", Types.LongType.get()),
            Types.NestedField.optional(2, "column_2", Types.StringType.get()));
    Table table = IcebergTestTables.create(dir, "nohdr", schema);
    Path file = write("data.csv", "10,ten\n20,twenty\n");

    CopyLoader.load(table, file, CopyOptions.defaults().withHeader(false), ProgressListener.NONE);

    List<Record> rows = IcebergTestTables.rows(table, "column_1");
    assertThat(rows).extracting(r -> r.getField("column_1")).containsExactly(10L, 20L);
    assertThat(rows).extracting(r -> r.getField("column_2")).containsExactly("ten", "twenty");
  }

  @Test
  void tsvUsesTabAndCustomNullString() throws Exception {
    Table table = IcebergTestTables.create(dir, "tsv", PEOPLE);
    Path file = write("people.tsv", "id\tname\tnote\n1\tA, B\tNULL\n2\t\"NULL\"\t\n");

    CopyLoader.load(
        table, file, CopyOptions.defaults().withNullString("NULL"), ProgressListener.NONE);

    List<Record> rows = IcebergTestTables.rows(table, "id");
    assertThat(rows).extracting(r -> r.getField("name")).containsExactly("A, B", "NULL");
    assertThat(rows.get(0).getField("note")).isNull();
    assertThat(rows.get(1).getField("note")).isEqualTo("");
  }

  @Test
  void gzipAndProgress() throws Exception {
    Table table = IcebergTestTables.create(dir, "gz", PEOPLE);
    Path file = dir.resolve("people.csv.gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
      StringBuilder sb = new StringBuilder("id,name,note\n");
      for (int i = 0; i < 1000; i++) {
        sb.append(i).append(",n").append(i).append(",x\n");
      }
      out.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    long[] last = new long[2];
    LoadResult result =
        CopyLoader.load(
            table,
            file,
            CopyOptions.defaults(),
            (read, total) -> {
              last[0] = read;
              last[1] = total;
            });
    assertThat(result.rowsLoaded()).isEqualTo(1000);
    assertThat(last[1]).isEqualTo(Files.size(file));
    assertThat(last[0]).isEqualTo(last[1]);
    assertThat(IcebergTestTables.rows(table, "id")).hasSize(1000);
  }
}
