package io.nql.planner.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaInferenceTest {
  @TempDir Path dir;

  private String inferOne(String... values) throws Exception {
    StringBuilder sb = new StringBuilder("c\n");
    for (String v : values) {
      sb.append(v).append('\n');
    }
    Path file = Files.writeString(dir.resolve("one.csv"), sb.toString());
    Schema schema = SchemaInference.inferSchema(file, CopyOptions.defaults());
    assertThat(schema.columns()).hasSize(1);
    assertThat(schema.columns().get(0).isOptional()).isTrue();
    return schema.columns().get(0).type().toString();
  }

  @Test
  void textRules() throws Exception {
    assertThat(inferOne("true", "FALSE", "")).isEqualTo("boolean");
    assertThat(inferOne("1", "-42", "9223372036854775807")).isEqualTo("long");
    assertThat(inferOne("1", "9223372036854775808")).isEqualTo("decimal(19, 0)");
    assertThat(inferOne("1.5", "-22.125", "3")).isEqualTo("decimal(5, 3)");
    assertThat(inferOne("0.5", ".25")).isEqualTo("decimal(2, 2)");
    assertThat(inferOne("1e3", "2.5")).isEqualTo("double");
    assertThat(inferOne("1." + "1".repeat(40))).isEqualTo("double");
    assertThat(inferOne("2026-10-01", "2026-02-28")).isEqualTo("date");
    assertThat(inferOne("2026-10-01T10:00:00", "2026-10-01 11:30:00.123")).isEqualTo("timestamp");
    assertThat(inferOne("2026-10-01T10:00:00Z", "2026-10-01 11:30:00+02:00"))
        .isEqualTo("timestamptz");
    assertThat(inferOne("abc", "1")).isEqualTo("string");
    assertThat(inferOne("", "")).isEqualTo("string");
    assertThat(inferOne("\"\"", "1")).isEqualTo("string");
    assertThat(inferOne("02134", "10001")).isEqualTo("string");
    assertThat(inferOne("2026-10-01", "2026-10-01T10:00:00")).isEqualTo("string");
    assertThat(inferOne("2026-02-30")).isEqualTo("string");
  }

  @Test
  void fullPassSeesTheLastValue() throws Exception {
    String[] values = new String[5001];
    for (int i = 0; i < 5000; i++) {
      values[i] = Integer.toString(i);
    }
    values[5000] = "n/a";
    assertThat(inferOne(values)).isEqualTo("string");
  }

  @Test
  void headerNamesAreNormalized() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("h.csv"),
            "User ID,userId,Café Name,2nd,,E-Mail,e_mail,a\n1,2,x,4,5,y,z,1\n");
    Schema schema = SchemaInference.inferSchema(file, CopyOptions.defaults());
    assertThat(schema.columns())
        .extracting(Types.NestedField::name)
        .containsExactly(
            "user_id", "user_id_2", "cafe_name", "_2nd", "column_5", "e_mail", "e_mail_2", "a");
  }

  @Test
  void normalizationRule() {
    assertThat(ColumnNames.normalize("  EventTS  ", 1)).isEqualTo("event_ts");
    assertThat(ColumnNames.normalize("München", 1)).isEqualTo("munchen");
    assertThat(ColumnNames.normalize("東京", 3)).isEqualTo("column_3");
    assertThat(ColumnNames.normalizeAll(List.of("a", "a", "a_2")))
        .containsExactly("a", "a_3", "a_2");
  }

  @Test
  void noHeaderAndTsv() throws Exception {
    Path file = Files.writeString(dir.resolve("x.tsv"), "1\tx y\t2026-10-01\n2\tz\t2026-10-02\n");
    Schema schema = SchemaInference.inferSchema(file, CopyOptions.defaults().withHeader(false));
    assertThat(schema.columns())
        .extracting(f -> f.name() + " " + f.type())
        .containsExactly("column_1 long", "column_2 string", "column_3 date");
  }

  @Test
  void jsonRules() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("j.ndjson"),
            "{\"i\": 1, \"d\": 1.5, \"e\": 1e3, \"s\": \"12\", \"b\": true, \"t\": \"2026-10-01\","
                + " \"mix\": 1, \"big\": 99999999999999999999}\n"
                + "{\"i\": 2, \"d\": 2, \"e\": 2, \"s\": \"x\", \"b\": false, \"t\": null,"
                + " \"mix\": \"one\", \"late\": null}\n");
    Schema schema = SchemaInference.inferSchema(file, CopyOptions.defaults());
    assertThat(schema.columns())
        .extracting(f -> f.name() + " " + f.type())
        .containsExactly(
            "i long",
            "d decimal(2, 1)",
            "e double",
            "s string",
            "b boolean",
            "t date",
            "mix string",
            "big decimal(20, 0)",
            "late string");
  }
}
