package io.nql.planner.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * Both encodings read back to the values written, every column type a view can have, and awkward
 * text (separators, quotes, line breaks, surrounding spaces, empty vs NULL) survives; the same rows
 * always give the same bytes.
 */
class BatchFormatTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.optional(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "n", Types.IntegerType.get()),
          Types.NestedField.optional(3, "name", Types.StringType.get()),
          Types.NestedField.optional(4, "ok", Types.BooleanType.get()),
          Types.NestedField.optional(5, "d", Types.DoubleType.get()),
          Types.NestedField.optional(6, "f", Types.FloatType.get()),
          Types.NestedField.optional(7, "amount", Types.DecimalType.of(20, 4)),
          Types.NestedField.optional(8, "day", Types.DateType.get()),
          Types.NestedField.optional(9, "at", Types.TimeType.get()),
          Types.NestedField.optional(10, "ts", Types.TimestampType.withoutZone()),
          Types.NestedField.optional(11, "tstz", Types.TimestampType.withZone()),
          Types.NestedField.optional(12, "bytes", Types.BinaryType.get()));

  private static List<Record> rows() {
    List<Record> rows = new ArrayList<>();
    Record a = GenericRecord.create(SCHEMA);
    a.set(0, 1L);
    a.set(1, 7);
    a.set(2, "a, \"quoted\"\r\nline");
    a.set(3, true);
    a.set(4, 1.25);
    a.set(5, 0.5f);
    a.set(6, new BigDecimal("1E+3").setScale(4));
    a.set(7, LocalDate.of(2026, 12, 7));
    a.set(8, LocalTime.of(10, 15, 30));
    a.set(9, LocalDateTime.of(2026, 12, 7, 10, 15, 30, 123_000_000));
    a.set(10, OffsetDateTime.of(2026, 12, 7, 10, 15, 30, 0, ZoneOffset.UTC));
    a.set(11, ByteBuffer.wrap(new byte[] {0, 1, (byte) 255}));
    rows.add(a);
    Record b = GenericRecord.create(SCHEMA); // every column NULL
    rows.add(b);
    Record c = GenericRecord.create(SCHEMA);
    c.set(0, 3L);
    c.set(2, "");
    c.set(4, Double.NaN);
    rows.add(c);
    Record d = GenericRecord.create(SCHEMA);
    d.set(0, 4L);
    d.set(2, " Zoë 😀 ");
    d.set(4, Double.NEGATIVE_INFINITY);
    rows.add(d);
    return rows;
  }

  @Test
  void ndjsonReadsBackAsTheValues() throws Exception {
    byte[] body = BatchFormat.NDJSON.encode(SCHEMA.columns(), rows());
    String text = new String(body, StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);
    assertThat(lines).hasSize(5);
    assertThat(lines[4]).isEmpty(); // every line ends with \n
    ObjectMapper json = new ObjectMapper();
    JsonNode a = json.readTree(lines[0]);
    assertThat(a.get("id").asLong()).isEqualTo(1);
    assertThat(a.get("name").asText()).isEqualTo("a, \"quoted\"\r\nline");
    assertThat(a.get("ok").asBoolean()).isTrue();
    assertThat(a.get("d").asDouble()).isEqualTo(1.25);
    assertThat(a.get("f").asDouble()).isEqualTo(0.5);
    assertThat(a.get("amount").isNumber()).isTrue();
    assertThat(a.get("amount").decimalValue()).isEqualByComparingTo("1000");
    assertThat(lines[0]).contains("\"amount\":1000.0000");
    assertThat(a.get("day").asText()).isEqualTo("2026-12-07");
    assertThat(a.get("at").asText()).isEqualTo("10:15:30");
    assertThat(a.get("ts").asText()).isEqualTo("2026-12-07T10:15:30.123");
    assertThat(a.get("tstz").asText()).isEqualTo("2026-12-07T10:15:30Z");
    assertThat(a.get("bytes").asText()).isEqualTo("AAH/");
    JsonNode nulls = json.readTree(lines[1]);
    assertThat(nulls.size()).isEqualTo(12);
    nulls.forEach(v -> assertThat(v.isNull()).isTrue());
    assertThat(json.readTree(lines[2]).get("name").asText()).isEmpty();
    assertThat(json.readTree(lines[2]).get("d").asText()).isEqualTo("NaN");
    assertThat(json.readTree(lines[3]).get("name").asText()).isEqualTo(" Zoë 😀 ");
    assertThat(json.readTree(lines[3]).get("d").asText()).isEqualTo("-Infinity");
    assertThat(BatchFormat.NDJSON.encode(SCHEMA.columns(), rows())).isEqualTo(body);
  }

  @Test
  void csvReadsBackAsTheValuesWithNullApartFromEmpty() throws Exception {
    byte[] body = BatchFormat.CSV.encode(SCHEMA.columns(), rows());
    String text = new String(body, StandardCharsets.UTF_8);
    assertThat(text).startsWith("id,n,name,ok,d,f,amount,day,at,ts,tstz,bytes\r\n");
    List<CSVRecord> records =
        CSVFormat.RFC4180
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setNullString("")
            .setQuoteMode(QuoteMode.ALL_NON_NULL)
            .get()
            .parse(new StringReader(text))
            .getRecords();
    assertThat(records).hasSize(4);
    CSVRecord a = records.get(0);
    assertThat(a.get("name")).isEqualTo("a, \"quoted\"\r\nline");
    assertThat(a.get("amount")).isEqualTo("1000.0000");
    assertThat(a.get("ts")).isEqualTo("2026-12-07T10:15:30.123");
    assertThat(a.get("ok")).isEqualTo("true");
    assertThat(records.get(1).get("name")).isNull();
    assertThat(records.get(1).get("id")).isNull();
    assertThat(records.get(2).get("name")).isEmpty();
    assertThat(records.get(2).get("d")).isEqualTo("NaN");
    assertThat(records.get(3).get("name")).isEqualTo(" Zoë 😀 ");
    assertThat(BatchFormat.CSV.encode(SCHEMA.columns(), rows())).isEqualTo(body);
  }

  @Test
  void formatsAreNamedAsInTheStatement() {
    assertThat(BatchFormat.of("CSV")).isEqualTo(BatchFormat.CSV);
    assertThat(BatchFormat.of("ndjson").contentType()).isEqualTo("application/x-ndjson");
  }
}
