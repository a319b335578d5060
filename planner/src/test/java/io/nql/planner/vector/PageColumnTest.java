package io.nql.planner.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk page decoder ({@link PageColumn}, {@link HybridDecoder}) against parquet-column's own
 * value-at-a-time reader, column chunk by column chunk, read in batches of several sizes (so
 * batches straddle pages): PLAIN and dictionary pages, dictionary fallback to PLAIN mid-chunk, data
 * pages v1 and v2, NULLs and required columns, every physical type it handles (booleans PLAIN in v1
 * pages, RLE in v2); on files written by parquet-mr, DuckDB and Iceberg.
 */
class PageColumnTest {
  @TempDir Path dir;

  static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message m { optional int32 i; required int64 l; optional float f; optional double d;"
              + " optional binary s (UTF8); required binary r; optional int64 sparse;"
              + " optional int32 allnull; optional boolean b; required boolean rb; }");

  Path write(WriterVersion version, boolean dictionary, int dictBytes, int rows) throws Exception {
    Path file = dir.resolve(version + "-" + dictionary + "-" + dictBytes + ".parquet");
    Random random = new Random(7);
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    Configuration conf = new Configuration();
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(conf)
            .withType(SCHEMA)
            .withWriterVersion(version)
            .withDictionaryEncoding(dictionary)
            .withDictionaryPageSize(dictBytes)
            .withPageSize(2048)
            .withPageRowCountLimit(777)
            .withRowGroupSize(64L * 1024)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .build()) {
      for (int k = 0; k < rows; k++) {
        Group g = groups.newGroup();
        if (random.nextInt(9) != 0) {
          // few distinct values first (dictionary), then many (the dictionary overflows)
          g.append("i", k < rows / 2 ? random.nextInt(20) - 10 : random.nextInt());
        }
        g.append("l", k < rows / 3 ? (long) random.nextInt(5) : random.nextLong());
        if (random.nextInt(5) != 0) {
          g.append("f", random.nextFloat() * 1000 - 500);
        }
        if (random.nextInt(4) != 0) {
          g.append("d", k % 3 == 0 ? 1.5 : random.nextDouble());
        }
        if (random.nextInt(7) != 0) {
          g.append(
              "s",
              k < rows / 2
                  ? "v" + random.nextInt(30)
                  : "long value Zoë 東京 " + random.nextLong() + "x".repeat(random.nextInt(40)));
        }
        g.append("r", k % 17 == 0 ? "" : "r" + (k % 50));
        if (random.nextInt(100) == 0) {
          g.append("sparse", (long) k);
        }
        if (random.nextInt(6) != 0) {
          // long runs first (RLE runs in v2 pages), then random bits (bit-packed runs)
          g.append("b", k < rows / 3 ? (k / 100) % 2 == 0 : random.nextBoolean());
        }
        g.append("rb", k % 3 == 0);
        w.write(g);
      }
    }
    return file;
  }

  /** Per chunk, whether the bulk decoder handled it; values compared for those it did. */
  static List<Boolean> compare(Path file) throws Exception {
    return compare(org.apache.iceberg.Files.localInput(file.toFile()));
  }

  static List<Boolean> compare(org.apache.iceberg.io.InputFile input) throws Exception {
    List<Boolean> handled = new ArrayList<>();
    for (int batch : new int[] {1, 5, 67, 1000, 4096, 100_000}) {
      handled.clear();
      try (ParquetFileReader reader =
              ParquetFileReader.open(
                  new ParquetInput(input), ParquetReadOptions.builder().build());
          ParquetFileReader expectedReader =
              ParquetFileReader.open(
                  new ParquetInput(input), ParquetReadOptions.builder().build())) {
        MessageType schema = reader.getFooter().getFileMetaData().getSchema();
        for (BlockMetaData group : reader.getRowGroups()) {
          PageReadStore pages = reader.readNextRowGroup();
          PageReadStore expectedPages = expectedReader.readNextRowGroup();
          for (ColumnDescriptor c : schema.getColumns()) {
            ColumnChunkMetaData chunk = chunk(group, c);
            boolean handles = PageColumn.handles(c, chunk);
            handled.add(handles);
            if (!handles) {
              continue;
            }
            ColumnReader expected =
                new ColumnReaderImpl(
                    c, expectedPages.getPageReader(c), new PrimitiveConverter() {}, null);
            PageColumn actual = new PageColumn(c, pages.getPageReader(c));
            long rows = pages.getRowCount();
            compareChunk(c, expected, actual, rows, batch);
          }
        }
      }
    }
    return handled;
  }

  static ColumnChunkMetaData chunk(BlockMetaData group, ColumnDescriptor c) {
    for (ColumnChunkMetaData m : group.getColumns()) {
      if (Arrays.equals(m.getPath().toArray(), c.getPath())) {
        return m;
      }
    }
    throw new AssertionError("no chunk for " + Arrays.toString(c.getPath()));
  }

  static void compareChunk(
      ColumnDescriptor c, ColumnReader expected, PageColumn actual, long rows, int batch) {
    PrimitiveTypeName type = c.getPrimitiveType().getPrimitiveTypeName();
    int def = c.getMaxDefinitionLevel();
    try (BufferAllocator a = new RootAllocator()) {
      long done = 0;
      boolean skip = false;
      while (done < rows) {
        int n = (int) Math.min(batch, rows - done);
        // every third small batch is skipped, not read: skipping keeps the decoder in step
        skip = batch < 10 && !skip && done % 3 == 0;
        if (skip) {
          actual.skip(n);
          for (int i = 0; i < n; i++) {
            if (expected.getCurrentDefinitionLevel() == def) {
              // parquet-column skips a value only once it is read or skipped explicitly
              expected.skip();
            }
            expected.consume();
          }
        } else if (type == PrimitiveTypeName.BINARY) {
          // refs of every row; every other batch copies only every third row (a selection)
          boolean selected = (done / n) % 2 == 1;
          int[] selection = new int[(n + 2) / 3];
          for (int i = 0; i < selection.length; i++) {
            selection[i] = 3 * i;
          }
          int count = selected ? selection.length : n;
          try (VarBinaryVector v = new VarBinaryVector("v", a)) {
            v.allocateNew(16L * count, count);
            BinaryRefs refs = new BinaryRefs();
            actual.readRefs(n, refs);
            refs.copyTo(v, selected ? selection : null, count);
            v.setValueCount(count);
            for (int i = 0; i < n; i++) {
              String where = Arrays.toString(c.getPath()) + " row " + (done + i);
              int at = selected ? (i % 3 == 0 ? i / 3 : -1) : i;
              if (at < 0) {
                if (expected.getCurrentDefinitionLevel() == def) {
                  expected.skip();
                }
                expected.consume();
                continue;
              }
              if (expected.getCurrentDefinitionLevel() == def) {
                assertThat(v.isNull(at)).as(where).isFalse();
                assertThat(new String(v.get(at), StandardCharsets.UTF_8))
                    .as(where)
                    .isEqualTo(expected.getBinary().toStringUsingUTF8());
              } else {
                assertThat(v.isNull(at)).as(where).isTrue();
                // a NULL takes no bytes: its end offset is its start offset
                assertThat(v.getEndOffset(at)).as(where).isEqualTo(v.getStartOffset(at));
              }
              expected.consume();
            }
          }
        } else {
          long[] raw = new long[n];
          boolean[] nulls = new boolean[n];
          actual.readFixed(n, raw, nulls);
          for (int i = 0; i < n; i++) {
            String where = Arrays.toString(c.getPath()) + " row " + (done + i);
            if (expected.getCurrentDefinitionLevel() == def) {
              assertThat(nulls[i]).as(where).isFalse();
              long want =
                  switch (type) {
                    case INT32 -> expected.getInteger();
                    case INT64 -> expected.getLong();
                    case FLOAT -> Float.floatToRawIntBits(expected.getFloat());
                    case DOUBLE -> Double.doubleToRawLongBits(expected.getDouble());
                    case BOOLEAN -> expected.getBoolean() ? 1 : 0;
                    default -> throw new AssertionError(type);
                  };
              assertThat(raw[i]).as(where).isEqualTo(want);
            } else {
              assertThat(nulls[i]).as(where).isTrue();
            }
            expected.consume();
          }
        }
        done += n;
      }
    }
  }

  static boolean hasEncoding(Path file, Encoding e) throws Exception {
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            new ParquetInput(org.apache.iceberg.Files.localInput(file.toFile())),
            ParquetReadOptions.builder().build())) {
      for (BlockMetaData g : reader.getRowGroups()) {
        for (ColumnChunkMetaData c : g.getColumns()) {
          if (c.getEncodings().contains(e)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Test
  void plainPagesV1() throws Exception {
    Path file = write(WriterVersion.PARQUET_1_0, false, 1 << 20, 5000);
    assertThat(compare(file)).containsOnly(true);
  }

  @Test
  void dictionaryWithFallbackToPlainMidChunkV1() throws Exception {
    Path file = write(WriterVersion.PARQUET_1_0, true, 300, 6000);
    assertThat(hasEncoding(file, Encoding.PLAIN_DICTIONARY)).isTrue();
    assertThat(compare(file)).containsOnly(true);
  }

  @Test
  void dictionaryPagesV2() throws Exception {
    // a dictionary that never overflows: RLE_DICTIONARY data pages v2
    Path file = write(WriterVersion.PARQUET_2_0, true, 1 << 22, 5000);
    assertThat(hasEncoding(file, Encoding.RLE_DICTIONARY)).isTrue();
    List<Boolean> handled = compare(file);
    assertThat(handled).contains(true);
  }

  @Test
  void booleansPlainInV1AndRleInV2() throws Exception {
    Path v1 = write(WriterVersion.PARQUET_1_0, false, 1 << 20, 5000);
    Path v2 = write(WriterVersion.PARQUET_2_0, false, 1 << 20, 5000);
    assertThat(hasEncoding(v2, Encoding.RLE)).isTrue();
    int columns = SCHEMA.getColumns().size();
    for (Path file : List.of(v1, v2)) {
      List<Boolean> handled = compare(file);
      // b and rb, the last two columns of every row group, are decoded in bulk
      for (int i = 0; i < handled.size(); i++) {
        if (i % columns >= columns - 2) {
          assertThat(handled.get(i)).as(file + " chunk " + i).isTrue();
        }
      }
    }
  }

  @Test
  void deltaEncodedChunksAreLeftToParquetColumn() throws Exception {
    Path file = write(WriterVersion.PARQUET_2_0, false, 1 << 20, 3000);
    assertThat(hasEncoding(file, Encoding.DELTA_BINARY_PACKED)).isTrue();
    // the delta-encoded chunks are not handled (they are read by ColumnReader); the rest compare
    assertThat(compare(file)).contains(false);
  }

  @Test
  void duckDbFiles() throws Exception {
    Path file = dir.resolve("duck.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute(
          "COPY (SELECT i::BIGINT AS id,"
              + " CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 1000 - 500)::INTEGER END AS n,"
              + " CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 37) % 100000 / 100.0)::DECIMAL(10,2)"
              + "  END AS amount,"
              + " CASE WHEN i % 13 = 0 THEN NULL ELSE 'label_' || (i % 5000) END AS label,"
              + " 'user' || i || '@example.com' AS email,"
              + " TIMESTAMP '2026-10-01 00:00:00' + INTERVAL (i * 977) MILLISECOND AS ts,"
              + " (i * 1.5)::DOUBLE AS x, (i / 3.0)::FLOAT AS f"
              + " FROM range(70000) t(i)) TO '"
              + file
              + "' (FORMAT PARQUET, ROW_GROUP_SIZE 30000)");
    }
    List<Boolean> handled = compare(file);
    assertThat(handled).containsOnly(true);
  }

  @Test
  void icebergWrittenFiles() throws Exception {
    // small pages and a 2,000-byte dictionary: Iceberg's writer falls back to PLAIN mid-chunk
    VectorTestData data = new VectorTestData(dir.resolve("ice"));
    int files = 0;
    boolean anyHandled = false;
    try (CloseableIterable<FileScanTask> tasks = data.table.newScan().planFiles()) {
      for (FileScanTask t : tasks) {
        List<Boolean> handled = compare(data.table.io().newInputFile(t.file().location()));
        anyHandled |= handled.contains(true);
        files++;
      }
    }
    assertThat(files).isGreaterThan(1);
    assertThat(anyHandled).isTrue();
  }

  @Test
  void hybridDecoderRunsAndWidths() {
    // an RLE run of 5 x 3, then a bit-packed run (1 group of 8) of width 3: 0..7
    byte[] buf = {10, 3, 3, (byte) 0b10001000, (byte) 0b11000110, (byte) 0b11111010};
    HybridDecoder d = new HybridDecoder(buf, 0, buf.length, 3);
    int[] out = new int[13];
    d.read(out, 0, 2);
    d.read(out, 2, 11);
    assertThat(out).containsExactly(3, 3, 3, 3, 3, 0, 1, 2, 3, 4, 5, 6, 7);
    // skipping passes over values without decoding them, within and across runs
    HybridDecoder s = new HybridDecoder(buf, 0, buf.length, 3);
    int[] some = new int[3];
    s.skip(4);
    s.read(some, 0, 1);
    s.skip(3);
    s.read(some, 1, 2);
    assertThat(some).containsExactly(3, 3, 4);
    HybridDecoder zero = new HybridDecoder(new byte[0], 0, 0, 0);
    int[] z = {9, 9};
    zero.read(z, 0, 2);
    assertThat(z).containsExactly(0, 0);
  }

  @Test
  void hybridDecoderAgreesWithParquetsEncoderForEveryWidth() throws Exception {
    Random random = new Random(11);
    for (int width = 1; width <= 32; width++) {
      long bound = width == 32 ? Integer.MAX_VALUE : (1L << width);
      int[] values = new int[5000];
      for (int i = 0; i < values.length; i++) {
        // runs of repeats (RLE) between stretches of noise (bit-packed groups)
        values[i] =
            (i / 300) % 2 == 0
                ? (int) (i / 37 % bound)
                : (int) (random.nextLong() >>> 1 & (bound - 1));
      }
      org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder encoder =
          new org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder(
              width, 64, 1 << 16, org.apache.parquet.bytes.HeapByteBufferAllocator.getInstance());
      for (int v : values) {
        encoder.writeInt(v);
      }
      byte[] bytes = encoder.toBytes().toByteArray();
      HybridDecoder d = new HybridDecoder(bytes, 0, bytes.length, width);
      int[] out = new int[values.length];
      int at = 0;
      while (at < values.length) {
        // reads of odd sizes and skips, so reads start inside and across groups of eight
        int n = Math.min(values.length - at, 1 + random.nextInt(40));
        if (random.nextInt(4) == 0) {
          d.skip(n);
          System.arraycopy(values, at, out, at, n);
        } else {
          d.read(out, at, n);
        }
        at += n;
      }
      assertThat(out).as("width " + width).containsExactly(values);
    }
  }
}
