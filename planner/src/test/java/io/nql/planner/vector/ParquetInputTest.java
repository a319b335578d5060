package io.nql.planner.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.apache.parquet.io.SeekableInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The buffered stream gives the file's bytes for any mix of seeks, small and large reads. */
class ParquetInputTest {
  @TempDir Path dir;

  @Test
  void randomSeeksAndReadsGiveTheFilesBytes() throws Exception {
    byte[] content = new byte[100_000];
    new Random(3).nextBytes(content);
    Path file = Files.write(dir.resolve("f.bin"), content);
    ParquetInput input = new ParquetInput(org.apache.iceberg.Files.localInput(file.toFile()));
    assertThat(input.getLength()).isEqualTo(content.length);
    Random r = new Random(5);
    try (SeekableInputStream in = input.newStream()) {
      for (int op = 0; op < 5000; op++) {
        long pos = in.getPos();
        switch (r.nextInt(5)) {
          case 0 -> in.seek(r.nextInt(content.length));
          case 1 -> in.seek(Math.max(0, pos - r.nextInt(100)));
          case 2 -> {
            if (pos < content.length) {
              assertThat(in.read()).isEqualTo(content[(int) pos] & 0xFF);
              assertThat(in.getPos()).isEqualTo(pos + 1);
            } else {
              assertThat(in.read()).isEqualTo(-1);
            }
          }
          default -> {
            int len =
                (int)
                    Math.min(
                        content.length - pos,
                        r.nextBoolean() ? r.nextInt(64) : r.nextInt(3 * ParquetInput.BUFFER));
            byte[] got = new byte[len];
            if (r.nextBoolean()) {
              in.readFully(got);
            } else {
              ByteBuffer b = ByteBuffer.wrap(got);
              in.readFully(b);
            }
            assertThat(got).isEqualTo(Arrays.copyOfRange(content, (int) pos, (int) pos + len));
            assertThat(in.getPos()).isEqualTo(pos + len);
          }
        }
      }
    }
  }
}
