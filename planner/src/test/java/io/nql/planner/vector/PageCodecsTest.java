package io.nql.planner.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/** ZSTD and SNAPPY pages decompress to their bytes, from arrays and from buffer slices. */
class PageCodecsTest {
  @Test
  void zstdAndSnappyPagesDecompressToTheirBytes() throws Exception {
    Random r = new Random(1);
    PageCodecs codecs = PageCodecs.of(new PlainParquetConfiguration());
    try {
      for (int size : new int[] {0, 1, 100, 70_000}) {
        byte[] page = new byte[size];
        for (int i = 0; i < size; i++) {
          page[i] = (byte) (r.nextInt(4) == 0 ? r.nextInt() : i % 7);
        }
        for (CompressionCodecName codec :
            new CompressionCodecName[] {CompressionCodecName.ZSTD, CompressionCodecName.SNAPPY}) {
          byte[] compressed =
              codec == CompressionCodecName.ZSTD ? Zstd.compress(page) : Snappy.compress(page);
          BytesInputDecompressor d = codecs.getDecompressor(codec);
          assertThat(d.decompress(BytesInput.from(compressed), size).toByteArray()).isEqualTo(page);
          // a slice of a larger buffer, as a column chunk's pages are
          byte[] framed = new byte[compressed.length + 10];
          System.arraycopy(compressed, 0, framed, 5, compressed.length);
          ByteBuffer slice = ByteBuffer.wrap(framed, 5, compressed.length).slice();
          assertThat(d.decompress(BytesInput.from(slice), size).toByteArray()).isEqualTo(page);
          if (size > 0) {
            assertThatThrownBy(() -> d.decompress(BytesInput.from(compressed), size + 1))
                .isInstanceOfAny(IOException.class, RuntimeException.class);
          }
        }
      }
      // other codecs are parquet-mr's
      assertThat(codecs.getDecompressor(CompressionCodecName.UNCOMPRESSED)).isNotNull();
    } finally {
      codecs.release();
    }
  }
}
