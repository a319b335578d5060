package io.nql.planner.vector;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.internal.hadoop.metadata.IndexReference;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet file reader whose page indexes (column and offset indexes) are decoded once per file
 * and kept: a filtered read of a row group decodes the offset index of every column it reads and
 * the column index of every filtered one, which for a point lookup costs more than decoding its
 * pages. Data files never change, so neither do their indexes. The kept indexes are shared by
 * readers on any thread (parquet-mr only reads them). At most {@link #MAX_PAGES} pages' entries in
 * all are kept, the least recently used dropped first.
 */
final class CachingFileReader extends ParquetFileReader {
  /** Page entries (summed over the kept indexes) that are kept. */
  static final long MAX_PAGES = 2_000_000;

  private record Key(String file, long length, long offset) {}

  private static final Cache<Key, Object> INDEXES =
      Caffeine.newBuilder()
          .maximumWeight(MAX_PAGES)
          .weigher((Key k, Object v) -> pages(v))
          .expireAfterAccess(Duration.ofHours(1))
          .executor(Runnable::run)
          .build();

  private final String location;
  private final long length;

  CachingFileReader(
      ParquetInput file, ParquetMetadata footer, ParquetReadOptions options, SeekableInputStream in)
      throws IOException {
    super(file, footer, options, in);
    this.location = file.toString();
    this.length = file.getLength();
  }

  @Override
  public ColumnIndex readColumnIndex(ColumnChunkMetaData column) throws IOException {
    IndexReference ref = column.getColumnIndexReference();
    return ref == null ? null : (ColumnIndex) kept(ref, () -> super.readColumnIndex(column));
  }

  @Override
  public OffsetIndex readOffsetIndex(ColumnChunkMetaData column) throws IOException {
    IndexReference ref = column.getOffsetIndexReference();
    return ref == null ? null : (OffsetIndex) kept(ref, () -> super.readOffsetIndex(column));
  }

  private interface Read {
    Object read() throws IOException;
  }

  private Object kept(IndexReference ref, Read read) throws IOException {
    try {
      return INDEXES.get(
          new Key(location, length, ref.getOffset()),
          k -> {
            try {
              return read.read(); // null (not kept) when the file has no index there
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static int pages(Object index) {
    if (index instanceof OffsetIndex o) {
      return Math.max(1, o.getPageCount());
    }
    return Math.max(1, ((ColumnIndex) index).getNullPages().size());
  }
}
