package io.nql.planner.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.ingest.RecordWriter;
import io.nql.planner.testing.IcebergTestTables;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDataTest {
  @TempDir Path dir;

  /** Order-independent checksum of one column: the sum of CRC32s of each value's text. */
  private static long checksum(Table table, String column) throws IOException {
    table.refresh();
    long sum = 0;
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      for (Record r : rows) {
        CRC32 crc = new CRC32();
        crc.update(String.valueOf(r.getField(column)).getBytes(StandardCharsets.UTF_8));
        sum += crc.getValue();
      }
    }
    return sum;
  }

  private static long count(Table table) {
    table.refresh();
    return Long.parseLong(table.currentSnapshot().summary().get("total-records"));
  }

  @Test
  void sameRowsOnEveryRun() throws Exception {
    long[] sums = new long[2];
    for (int run = 0; run < 2; run++) {
      Table events =
          IcebergTestTables.create(
              dir, "events" + run, DemoData.MOBILE_EVENTS_SCHEMA, DemoData.MOBILE_EVENTS_SPEC);
      RecordWriter.AppendResult result = DemoData.writeMobileEvents(events, 20_000);
      assertThat(result.rows()).isEqualTo(20_000);
      assertThat(count(events)).isEqualTo(20_000);
      sums[run] = checksum(events, "email_sha256") + 31 * checksum(events, "event_ts");
    }
    assertThat(sums[0]).isEqualTo(sums[1]);
  }

  @Test
  void mobileEventsValuesArePlausible() throws Exception {
    Table events =
        IcebergTestTables.create(
            dir, "events", DemoData.MOBILE_EVENTS_SCHEMA, DemoData.MOBILE_EVENTS_SPEC);
    RecordWriter.AppendResult result = DemoData.writeMobileEvents(events, 10_000);
    assertThat(result.dataFiles()).hasSize(30);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    int nullEmails = 0;
    Set<String> countries = new HashSet<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(events).build()) {
      for (Record r : rows) {
        String email = (String) r.getField("email");
        String hash = (String) r.getField("email_sha256");
        if (email == null) {
          nullEmails++;
          assertThat(hash).isNull();
        } else {
          assertThat(email.strip()).contains("@");
          String expected =
              HexFormat.of()
                  .formatHex(
                      sha.digest(
                          email.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
          assertThat(hash).isEqualTo(expected);
        }
        assertThat((String) r.getField("maid"))
            .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat((String) r.getField("sex")).isIn("M", "F", "U");
        OffsetDateTime ts = (OffsetDateTime) r.getField("event_ts");
        assertThat(ts).isBetween(DemoData.FIRST_DAY, DemoData.FIRST_DAY.plusDays(30));
        countries.add((String) r.getField("country"));
      }
    }
    assertThat(nullEmails).isBetween(1_000, 3_500);
    assertThat(countries).contains("USA", "GBR", "DEU", "FRA", "CAN", "BRA", "IND", "JPN");
  }

  @Test
  void purchasesShareJoinKeysWithMobileEvents() throws Exception {
    Table events =
        IcebergTestTables.create(
            dir, "events", DemoData.MOBILE_EVENTS_SCHEMA, DemoData.MOBILE_EVENTS_SPEC);
    Table purchases =
        IcebergTestTables.create(
            dir, "purchases", DemoData.PURCHASES_SCHEMA, DemoData.PURCHASES_SPEC);
    Table visits =
        IcebergTestTables.create(
            dir, "visits", DemoData.WEB_VISITS_SCHEMA, DemoData.WEB_VISITS_SPEC);
    DemoData.writeMobileEvents(events, 50_000);
    DemoData.writePurchases(purchases, 5_000);
    DemoData.writeWebVisits(visits, 2_000);

    Set<String> maids = new HashSet<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(events).build()) {
      rows.forEach(r -> maids.add((String) r.getField("maid")));
    }
    int matched = 0;
    try (CloseableIterable<Record> rows = IcebergGenerics.read(purchases).build()) {
      for (Record r : rows) {
        if (maids.contains(r.getField("maid"))) {
          matched++;
        }
        BigDecimal amount = (BigDecimal) r.getField("amount");
        assertThat(amount.scale()).isEqualTo(2);
        assertThat(amount).isPositive();
      }
    }
    // 80% of orders carry a maid; acme covers only part of the population at 50k events.
    assertThat(matched).isBetween(400, 4_000);
    Set<String> titles = new HashSet<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(visits).build()) {
      rows.forEach(r -> titles.add((String) r.getField("page_title")));
    }
    assertThat(titles).contains("Café & Bäckerei", "München: Angebote", "東京のおすすめ");
    assertThat(count(visits)).isEqualTo(2_000);
  }
}
