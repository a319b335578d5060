package io.nql.planner.vector;

import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Page decompression for one file reader: ZSTD (Iceberg's default) and SNAPPY pages are
 * decompressed with one native call each into a heap array, the rest through parquet-mr's codecs.
 * parquet-mr's own ZSTD path opens a decompressing stream per page (with its buffers and a copy),
 * which with pages of a thousand rows cost as much as decoding them. Read only; not thread-safe, as
 * the reader that owns it.
 */
final class PageCodecs implements CompressionCodecFactory {
  private final CompressionCodecFactory parquet;
  private ZstdDecompressCtx zstd;

  /**
   * @param parquet parquet-mr's codecs, for the codecs this class does not decompress itself
   */
  PageCodecs(CompressionCodecFactory parquet) {
    this.parquet = parquet;
  }

  /** Codecs over parquet-mr's heap codec factory of a configuration. */
  static PageCodecs of(org.apache.parquet.conf.ParquetConfiguration conf) {
    return new PageCodecs(new CodecFactory(conf, 0));
  }

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codecName) {
    throw new UnsupportedOperationException("PageCodecs only decompresses");
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codecName) {
    return switch (codecName) {
      case ZSTD -> new Native(codecName);
      case SNAPPY -> new Native(codecName);
      default -> parquet.getDecompressor(codecName);
    };
  }

  @Override
  public void release() {
    if (zstd != null) {
      zstd.close();
      zstd = null;
    }
    parquet.release();
  }

  private ZstdDecompressCtx zstd() {
    if (zstd == null) {
      zstd = new ZstdDecompressCtx();
    }
    return zstd;
  }

  /** One codec's pages, decompressed from heap bytes into a new heap array. */
  private final class Native implements BytesInputDecompressor {
    private final CompressionCodecName codec;

    Native(CompressionCodecName codec) {
      this.codec = codec;
    }

    @Override
    public BytesInput decompress(BytesInput bytes, int decompressedSize) throws IOException {
      ByteBuffer in = bytes.toByteBuffer();
      byte[] src;
      int offset;
      int length = in.remaining();
      if (in.hasArray()) {
        src = in.array();
        offset = in.arrayOffset() + in.position();
      } else {
        src = new byte[length];
        in.duplicate().get(src);
        offset = 0;
      }
      byte[] out = new byte[decompressedSize];
      long n =
          codec == CompressionCodecName.ZSTD
              ? zstd().decompressByteArray(out, 0, decompressedSize, src, offset, length)
              : Snappy.uncompress(src, offset, length, out, 0);
      if (n != decompressedSize) {
        throw new IOException(
            codec + " page decompressed to " + n + " bytes, not " + decompressedSize);
      }
      return BytesInput.from(out);
    }

    @Override
    public void decompress(
        ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize)
        throws IOException {
      ByteBuffer slice = input.duplicate();
      slice.limit(slice.position() + compressedSize);
      output.put(decompress(BytesInput.from(slice), decompressedSize).toByteBuffer());
      input.position(input.position() + compressedSize);
    }

    @Override
    public void release() {}
  }
}
