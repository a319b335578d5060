package io.nql.planner.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;

/** Byte equality and hashing of a string vector's rows, word by word, against byte arrays. */
class ColumnValuesTest {
  @Test
  void rowsCompareAndHashLikeTheirBytes() {
    Random random = new Random(5);
    int n = 2000;
    byte[][] rows = new byte[n][];
    try (BufferAllocator a = new RootAllocator();
        VarCharVector v = new VarCharVector("s", a)) {
      v.allocateNew(64L * n, n);
      for (int i = 0; i < n; i++) {
        byte[] b = new byte[random.nextInt(41)];
        random.nextBytes(b);
        rows[i] = b;
        v.setSafe(i, b);
      }
      v.setValueCount(n);
      Values values = ColumnValues.of(v);
      Set<Integer> hashes = new HashSet<>();
      for (int i = 0; i < n; i++) {
        byte[] same = rows[i].clone();
        assertThat(values.bytesEqual(i, same)).isTrue();
        // the byte array form (what the default of Values hashes) hashes alike
        assertThat(values.bytesHash(i)).isEqualTo(ColumnValues.hashBytes(same));
        hashes.add(values.bytesHash(i));
        if (same.length > 0) {
          // a difference in any one byte (first word, a later word, the tail) is seen
          int at = random.nextInt(same.length);
          same[at] ^= 1;
          assertThat(values.bytesEqual(i, same)).as("row %d byte %d", i, at).isFalse();
          same[at] ^= 1;
        }
        assertThat(values.bytesEqual(i, Arrays.copyOf(same, same.length + 1))).isFalse();
      }
      // distinct strings rarely share a hash
      Set<String> distinct = new HashSet<>();
      for (byte[] b : rows) {
        distinct.add(Arrays.toString(b));
      }
      assertThat(hashes.size()).isGreaterThan(distinct.size() * 99 / 100);
    }
  }
}
