package io.nql.planner.vector;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Parquet footers of data files, decoded once and kept: an Iceberg data file never changes (a new
 * write is a new file), and decoding the footer's Thrift metadata is a large part of a point
 * lookup's read. A footer is kept per file and split range, as parquet-mr returns it for the
 * range's row groups. Thread-safe; at most {@link #MAX_CHUNKS} column chunks' metadata in all, the
 * least recently used footers dropped first.
 */
final class ParquetFooters {
  /** Column chunks (summed over the footers' row groups) whose metadata is kept. */
  static final long MAX_CHUNKS = 200_000;

  private record Key(String location, long length, long start, long end) {}

  private static final Cache<Key, ParquetMetadata> FOOTERS =
      Caffeine.newBuilder()
          .maximumWeight(MAX_CHUNKS)
          .weigher((Key k, ParquetMetadata m) -> weight(m))
          .expireAfterAccess(Duration.ofHours(1))
          .executor(Runnable::run)
          .build();

  private ParquetFooters() {}

  /**
   * The footer of {@code file} with the row groups of the range {@code [start, end)}, read from
   * {@code in} when it is not kept.
   *
   * @param options parquet-mr's read options, with the range
   */
  static ParquetMetadata footer(
      ParquetInput file, long start, long end, ParquetReadOptions options, SeekableInputStream in) {
    return FOOTERS.get(
        new Key(file.toString(), file.getLength(), start, end),
        k -> {
          try {
            return ParquetFileReader.readFooter(file, options, in);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static int weight(ParquetMetadata footer) {
    long chunks = 1;
    for (BlockMetaData b : footer.getBlocks()) {
      chunks += b.getColumns().size();
    }
    return (int) Math.min(Integer.MAX_VALUE, chunks);
  }
}
