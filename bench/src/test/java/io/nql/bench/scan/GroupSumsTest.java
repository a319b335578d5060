package io.nql.bench.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

class GroupSumsTest {
  private static final long TS_MICROS = 1_790_000_000_123_000L; // a whole millisecond

  @Test
  void sameGroupsInAnotherOrderAreTheSameAnswer() {
    GroupSums a = new GroupSums();
    a.add("USA", "label_1", 3, new BigDecimal("10.50"), 7, TS_MICROS);
    a.add("GBR", "label_2", 2, null, 9, TS_MICROS + 1);
    GroupSums b = new GroupSums();
    b.add("GBR", "label_2", 2, null, 9, TS_MICROS + 1);
    b.add("USA", "label_1", 3, new BigDecimal("10.5"), 7, TS_MICROS);
    assertThat(a.differenceFrom(b)).isNull();
    assertThat(a.checksum()).isEqualTo(b.checksum());
    assertThat(a.rowsReturned()).isEqualTo(2);
    assertThat(a.rowsCounted()).isEqualTo(5);
  }

  @Test
  void aCentOrAMicrosecondOrAGroupApartIsADifference() {
    GroupSums a = sums("10.50", TS_MICROS);
    assertThat(a.differenceFrom(sums("10.51", TS_MICROS)))
        .startsWith("group USA | label_1: count 3, sum 10.50,")
        .contains("sum 10.51");
    assertThat(a.checksum()).isNotEqualTo(sums("10.51", TS_MICROS).checksum());
    assertThat(a.differenceFrom(sums("10.50", TS_MICROS + 1))).contains("max event_ts");
    // Not rounded to cents: a sum with a third decimal differs.
    assertThat(a.differenceFrom(sums("10.501", TS_MICROS))).contains("sum 10.501");
    GroupSums more = sums("10.50", TS_MICROS);
    more.add("FRA", "label_3", 1, BigDecimal.ONE, 1, TS_MICROS);
    assertThat(a.differenceFrom(more)).startsWith("group FRA | label_3 missing");
    assertThat(more.differenceFrom(a)).contains("no such group");
    assertThat(a.differenceFrom(new Checksum())).startsWith("a scan's answer");
  }

  @Test
  void aGroupTwiceIsRefused() {
    GroupSums a = sums("1.00", TS_MICROS);
    assertThatThrownBy(() -> a.add("USA", "label_1", 1, BigDecimal.ONE, 1, 0))
        .hasMessage("group USA | label_1 came twice");
  }

  @Test
  void arrowGroupsReadTheSameWhateverTheDecimalAndTimestampWidths() {
    try (BufferAllocator allocator = new RootAllocator()) {
      GroupSums micros = new GroupSums();
      GroupSums millis = new GroupSums();
      try (VectorSchemaRoot a = batch(allocator, false);
          VectorSchemaRoot b = batch(allocator, true)) {
        GroupReaders.add(a, micros);
        GroupReaders.add(b, millis);
      }
      assertThat(micros.rowsReturned()).isEqualTo(1);
      assertThat(micros.differenceFrom(sums("10.50", TS_MICROS))).isNull();
      assertThat(millis.differenceFrom(micros)).isNull();
    }
  }

  @Test
  void aSumThatIsNotADecimalStopsTheRun() {
    try (BufferAllocator allocator = new RootAllocator();
        VarCharVector country = text(allocator, "country", "USA");
        VarCharVector label = text(allocator, "label", "label_1");
        BigIntVector count = new BigIntVector("row_count", allocator);
        Float8Vector sum = new Float8Vector("amount_sum", allocator);
        IntVector min = new IntVector("user_id_min", allocator);
        TimeStampMicroVector max = new TimeStampMicroVector("event_ts_max", allocator)) {
      count.setSafe(0, 3);
      sum.setSafe(0, 10.5);
      min.setSafe(0, 7);
      max.setSafe(0, TS_MICROS);
      List<FieldVector> vectors = List.of(country, label, count, sum, min, max);
      for (FieldVector v : vectors) {
        v.setValueCount(1);
      }
      VectorSchemaRoot root = new VectorSchemaRoot(vectors);
      assertThatThrownBy(() -> GroupReaders.add(root, new GroupSums()))
          .hasMessageStartingWith("SUM(amount) arrived as FloatingPoint(DOUBLE)");
    }
  }

  private static GroupSums sums(String sum, long maxMicros) {
    GroupSums g = new GroupSums();
    g.add("USA", "label_1", 3, new BigDecimal(sum), 7, maxMicros);
    return g;
  }

  /** One group as NQL sends it (decimal128, microseconds) or wider and coarser. */
  private static VectorSchemaRoot batch(BufferAllocator allocator, boolean other) {
    BigIntVector count = new BigIntVector("row_count", allocator);
    IntVector min = new IntVector("user_id_min", allocator);
    count.setSafe(0, 3);
    min.setSafe(0, 7);
    FieldVector sum;
    FieldVector max;
    if (other) {
      Decimal256Vector d = new Decimal256Vector("amount_sum", allocator, 40, 4);
      d.setSafe(0, new BigDecimal("10.5000"));
      TimeStampMilliVector t = new TimeStampMilliVector("event_ts_max", allocator);
      t.setSafe(0, TS_MICROS / 1000);
      sum = d;
      max = t;
    } else {
      DecimalVector d = new DecimalVector("amount_sum", allocator, 38, 2);
      d.setSafe(0, new BigDecimal("10.50"));
      TimeStampMicroVector t = new TimeStampMicroVector("event_ts_max", allocator);
      t.setSafe(0, TS_MICROS);
      sum = d;
      max = t;
    }
    List<FieldVector> vectors =
        List.of(
            text(allocator, "country", "USA"),
            text(allocator, "label", "label_1"),
            count,
            sum,
            min,
            max);
    for (FieldVector v : vectors) {
      v.setValueCount(1);
    }
    return new VectorSchemaRoot(vectors);
  }

  private static VarCharVector text(BufferAllocator allocator, String name, String value) {
    VarCharVector v = new VarCharVector(name, allocator);
    v.setSafe(0, value.getBytes(StandardCharsets.UTF_8));
    v.setValueCount(1);
    return v;
  }
}
