package io.nql.planner.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;

/**
 * {@link Selections#compact} (unchecked word and run copies) against {@code getObject} row by row:
 * every fixed width it special-cases and the run-wise fallback, strings (empty, multi-byte UTF-8,
 * long), NULLs or none, and selections with runs at the batch's edges, single rows, all but one,
 * none, periodic and random.
 */
class SelectionsTest {
  static final String[] STRINGS = {"", "a", "Zoë", "東京タワー", "x".repeat(70), "mid", "é"};

  Batch batch(BufferAllocator a, int rows, boolean nulls, Random random) {
    IntVector i = new IntVector("i", a);
    BigIntVector l = new BigIntVector("l", a);
    DecimalVector d = new DecimalVector("d", a, 12, 2);
    SmallIntVector sm = new SmallIntVector("sm", a);
    BitVector b = new BitVector("b", a);
    VarCharVector s = new VarCharVector("s", a);
    i.allocateNew(rows);
    l.allocateNew(rows);
    d.allocateNew(rows);
    sm.allocateNew(rows);
    b.allocateNew(rows);
    s.allocateNew(rows);
    for (int r = 0; r < rows; r++) {
      if (nulls && random.nextInt(6) == 0) {
        i.setNull(r);
        l.setNull(r);
        d.setNull(r);
        sm.setNull(r);
        b.setNull(r);
        s.setNull(r);
        continue;
      }
      i.set(r, random.nextInt());
      l.set(r, random.nextLong());
      d.set(r, BigDecimal.valueOf(random.nextInt(1_000_000) - 500_000, 2));
      sm.set(r, (short) random.nextInt());
      b.set(r, random.nextInt(2));
      s.setSafe(r, STRINGS[random.nextInt(STRINGS.length)].getBytes(StandardCharsets.UTF_8));
    }
    FieldVector[] v = {i, l, d, sm, b, s};
    for (FieldVector x : v) {
      x.setValueCount(rows);
    }
    return new Batch(v, rows);
  }

  List<int[]> selections(int rows, Random random) {
    List<int[]> out = new ArrayList<>();
    out.add(new int[0]);
    out.add(new int[] {0});
    out.add(new int[] {rows - 1});
    out.add(range(1, rows));
    out.add(range(0, rows - 1));
    out.add(range(0, rows));
    // every fifth row dropped (the benchmark's rule): runs of four
    out.add(java.util.stream.IntStream.range(0, rows).filter(r -> r % 5 != 0).toArray());
    out.add(java.util.stream.IntStream.range(0, rows).filter(r -> r % 64 != 63).toArray());
    for (int k = 0; k < 5; k++) {
      int keep = 1 + random.nextInt(10);
      out.add(
          java.util.stream.IntStream.range(0, rows)
              .filter(r -> random.nextInt(10) < keep)
              .toArray());
    }
    return out;
  }

  @Test
  void onlyTheNamedColumnsAreCopied() {
    Random random = new Random(5);
    try (BufferAllocator a = new RootAllocator();
        Batch in = batch(a, 100, true, random)) {
      int[] sel = java.util.stream.IntStream.range(0, 100).filter(r -> r % 5 != 0).toArray();
      boolean[] columns = {true, false, true, false, false, true};
      try (Batch out = Selections.compact(in, sel, columns, a)) {
        assertThat(out.rows).isEqualTo(sel.length);
        for (int c = 0; c < columns.length; c++) {
          FieldVector to = out.vectors[c];
          assertThat(to.getValueCount()).isEqualTo(columns[c] ? sel.length : 0);
          for (int k = 0; columns[c] && k < sel.length; k++) {
            assertThat(to.getObject(k)).isEqualTo(in.vectors[c].getObject(sel[k]));
          }
        }
      }
    }
  }

  static int[] range(int from, int to) {
    return java.util.stream.IntStream.range(from, to).toArray();
  }

  @Test
  void compactMatchesRowByRow() {
    Random random = new Random(11);
    try (BufferAllocator a = new RootAllocator()) {
      for (int rows : new int[] {1, 7, 8, 63, 64, 65, 200, 1000}) {
        for (boolean nulls : new boolean[] {false, true}) {
          try (Batch in = batch(a, rows, nulls, random)) {
            for (int[] sel : selections(rows, random)) {
              try (Batch out = Selections.compact(in, sel, a)) {
                assertThat(out.rows).isEqualTo(sel.length);
                for (int c = 0; c < in.vectors.length; c++) {
                  FieldVector from = in.vectors[c];
                  FieldVector to = out.vectors[c];
                  assertThat(to.getValueCount()).isEqualTo(sel.length);
                  for (int k = 0; k < sel.length; k++) {
                    String where =
                        from.getName() + " rows " + rows + " nulls " + nulls + " out " + k;
                    assertThat(to.isNull(k)).as(where).isEqualTo(from.isNull(sel[k]));
                    assertThat(to.getObject(k)).as(where).isEqualTo(from.getObject(sel[k]));
                  }
                  assertThat(to.getNullCount())
                      .isEqualTo(
                          (int) java.util.Arrays.stream(sel).filter(r -> from.isNull(r)).count());
                }
              }
            }
          }
        }
      }
    }
  }
}
