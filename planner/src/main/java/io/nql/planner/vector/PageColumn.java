package io.nql.planner.vector;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads one flat column chunk a batch at a time, decoding whole pages instead of values one by one:
 * definition levels and dictionary indices through {@link HybridDecoder}, PLAIN values straight
 * from the page bytes, dictionary values gathered from the decoded dictionary. Handles the
 * encodings parquet-mr, Iceberg and DuckDB write for flat columns (PLAIN, PLAIN_DICTIONARY,
 * RLE_DICTIONARY values; PLAIN and RLE booleans; RLE levels; data pages v1 and v2, dictionary
 * fallback to PLAIN mid-chunk); {@link #handles} tells, per chunk, whether it applies (else the
 * chunk is read through parquet-column's {@code ColumnReader}).
 *
 * <p>A chunk read through the page index holds only the pages that overlap the selected rows, and
 * pages of different columns start at different rows: given the {@link RowSelection}, the column
 * skips the values of rows outside it (each page says its first row), so it delivers exactly the
 * selected rows.
 */
final class PageColumn {
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final Set<Encoding> HANDLED =
      EnumSet.of(
          Encoding.PLAIN,
          Encoding.PLAIN_DICTIONARY,
          Encoding.RLE_DICTIONARY,
          Encoding.RLE,
          // parquet-mr's v1 pages name it for the (absent) repetition levels of flat columns
          Encoding.BIT_PACKED);

  private final PageReader pages;
  private final RowSelection.@Nullable Cursor selection;
  private final PrimitiveTypeName type;
  private final int maxDefinition;
  private final int levelWidth;

  // the dictionary, when the chunk has one
  private long[] dictFixed;
  private byte[] dictBytes;
  private int[] dictOffsets;

  // the current page
  private int pageLeft;

  /** The row of the current page's next value. */
  private long row;

  private HybridDecoder levels;

  /** Definition levels of the current page in the deprecated BIT_PACKED encoding, decoded. */
  private int[] packedLevels;

  private int packedPos;
  private byte[] data;
  private int dataPos;
  private HybridDecoder ids;

  /** BOOLEAN values: RLE-encoded (a decoder), or PLAIN bit-packed from {@link #dataPos}. */
  private HybridDecoder bools;

  /** PLAIN BOOLEAN values: the bit of the next value, counted from {@link #dataPos}. */
  private long boolBit;

  // scratch, grown on demand
  private int[] levelScratch = new int[0];
  private int[] idScratch = new int[0];
  private long[] valueScratch = new long[0];

  PageColumn(ColumnDescriptor column, PageReader pages) {
    this(column, pages, null);
  }

  /**
   * @param selection the rows to deliver, when the chunk was read for some rows only (its pages
   *     then know their first row); null to deliver every value
   */
  PageColumn(ColumnDescriptor column, PageReader pages, RowSelection.@Nullable Cursor selection) {
    this.pages = pages;
    this.selection = selection;
    this.type = column.getPrimitiveType().getPrimitiveTypeName();
    this.maxDefinition = column.getMaxDefinitionLevel();
    this.levelWidth = BytesUtils.getWidthFromMaxInt(maxDefinition);
    DictionaryPage dictionary = pages.readDictionaryPage();
    if (dictionary != null) {
      readDictionary(dictionary);
    }
  }

  /** Whether this reader can read a chunk of a flat column of this physical type. */
  static boolean handles(ColumnDescriptor column, ColumnChunkMetaData chunk) {
    if (column.getMaxRepetitionLevel() != 0) {
      return false;
    }
    switch (column.getPrimitiveType().getPrimitiveTypeName()) {
      case BOOLEAN, INT32, INT64, FLOAT, DOUBLE, BINARY -> {}
      default -> {
        return false;
      }
    }
    return chunk != null && HANDLED.containsAll(chunk.getEncodings());
  }

  /** Whether values are fixed-width numbers ({@link #readFixed}) rather than bytes. */
  boolean fixedWidth() {
    return type != PrimitiveTypeName.BINARY;
  }

  private void readDictionary(DictionaryPage page) {
    byte[] b = bytes(page.getBytes());
    int n = page.getDictionarySize();
    switch (type) {
      case INT32, FLOAT -> {
        dictFixed = new long[n];
        for (int i = 0; i < n; i++) {
          dictFixed[i] = (int) INT_LE.get(b, i * 4);
        }
      }
      case INT64, DOUBLE -> {
        dictFixed = new long[n];
        for (int i = 0; i < n; i++) {
          dictFixed[i] = (long) LONG_LE.get(b, i * 8);
        }
      }
      case BINARY -> {
        dictOffsets = new int[n + 1];
        int p = 0;
        int total = 0;
        for (int i = 0; i < n; i++) {
          int len = (int) INT_LE.get(b, p);
          p += 4 + len;
          total += len;
        }
        // 16 bytes of padding: short values are read as whole 8-byte words
        dictBytes = new byte[total + 16];
        p = 0;
        int o = 0;
        for (int i = 0; i < n; i++) {
          int len = (int) INT_LE.get(b, p);
          System.arraycopy(b, p + 4, dictBytes, o, len);
          dictOffsets[i] = o;
          o += len;
          p += 4 + len;
        }
        dictOffsets[n] = o;
      }
      default -> throw new IllegalStateException("no dictionary for " + type);
    }
  }

  private static byte[] bytes(org.apache.parquet.bytes.BytesInput in) {
    try {
      // a decompressed page is one whole array: taken as it is, not copied
      java.nio.ByteBuffer b = in.toByteBuffer();
      if (b.hasArray()
          && b.arrayOffset() == 0
          && b.position() == 0
          && b.remaining() == b.array().length) {
        return b.array();
      }
      return in.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void nextPage() {
    DataPage page = pages.readPage();
    if (page == null) {
      throw new IllegalStateException("column chunk ends before its row count");
    }
    pageLeft = page.getValueCount();
    if (selection != null) {
      row =
          page.getFirstRowIndex()
              .orElseThrow(
                  () -> new IllegalStateException("a filtered page without its first row"));
    }
    Encoding encoding;
    if (page instanceof DataPageV1 v1) {
      data = bytes(v1.getBytes());
      int p = 0;
      if (maxDefinition > 0) {
        if (v1.getDlEncoding() == Encoding.BIT_PACKED) {
          levels = null;
          p = unpackLevels(data, pageLeft);
        } else if (v1.getDlEncoding() == Encoding.RLE) {
          int len = (int) INT_LE.get(data, 0);
          levels = new HybridDecoder(data, 4, 4 + len, levelWidth);
          packedLevels = null;
          p = 4 + len;
        } else {
          throw new IllegalStateException("definition levels encoded " + v1.getDlEncoding());
        }
      } else {
        levels = null;
        packedLevels = null;
      }
      dataPos = p;
      encoding = v1.getValueEncoding();
    } else {
      DataPageV2 v2 = (DataPageV2) page;
      if (maxDefinition > 0) {
        byte[] l = bytes(v2.getDefinitionLevels());
        levels = new HybridDecoder(l, 0, l.length, levelWidth);
      } else {
        levels = null;
      }
      packedLevels = null;
      data = bytes(v2.getData());
      dataPos = 0;
      encoding = v2.getDataEncoding();
    }
    ids = null;
    bools = null;
    boolBit = 0;
    switch (encoding) {
      case PLAIN -> {}
      case RLE -> {
        // BOOLEAN values only: the length, then the RLE / bit-packed hybrid of 1-bit values
        if (type != PrimitiveTypeName.BOOLEAN) {
          throw new IllegalStateException("values of " + type + " encoded RLE");
        }
        int len = (int) INT_LE.get(data, dataPos);
        bools = new HybridDecoder(data, dataPos + 4, dataPos + 4 + len, 1);
      }
      case PLAIN_DICTIONARY, RLE_DICTIONARY -> {
        if (dictFixed == null && dictOffsets == null) {
          throw new IllegalStateException("dictionary-encoded page without a dictionary");
        }
        int width = data[dataPos] & 0xFF;
        ids = new HybridDecoder(data, dataPos + 1, data.length, width);
      }
      default -> throw new IllegalStateException("values encoded " + encoding);
    }
  }

  /**
   * Decodes the definition levels of the next {@code k} values (within the current page) into
   * {@code levelScratch[0..k)}; returns how many are present.
   */
  private int levels(int k) {
    if (levels == null && packedLevels == null) {
      return k;
    }
    if (levelScratch.length < k) {
      levelScratch = new int[Math.max(k, 1024)];
    }
    if (levels != null) {
      return levels.readCounting(levelScratch, 0, k, maxDefinition);
    }
    int present = 0;
    for (int i = 0; i < k; i++) {
      int l = packedLevels[packedPos++];
      levelScratch[i] = l;
      if (l == maxDefinition) {
        present++;
      }
    }
    return present;
  }

  /**
   * Decodes the deprecated BIT_PACKED definition levels (most significant bit first, no header) of
   * a v1 page's {@code count} values; returns where the values start.
   */
  private int unpackLevels(byte[] d, int count) {
    int[] out = new int[count];
    int w = levelWidth;
    long bit = 0;
    for (int i = 0; i < count; i++) {
      int v = 0;
      for (int b = 0; b < w; b++, bit++) {
        int by = d[(int) (bit >>> 3)] & 0xFF;
        v = (v << 1) | ((by >>> (7 - (int) (bit & 7))) & 1);
      }
      out[i] = v;
    }
    packedLevels = out;
    packedPos = 0;
    return (int) ((bit + 7) >>> 3);
  }

  /**
   * Reads the next {@code n} values as raw longs (INT32 and FLOAT bits sign-extended, INT64 and
   * DOUBLE bits as they are, BOOLEAN as 0 or 1) into {@code out[0..n)}, 0 where NULL; marks NULLs
   * in {@code nulls}.
   *
   * @return how many values are NULL
   */
  int readFixed(int n, long[] out, boolean[] nulls) {
    int nullCount = 0;
    int done = 0;
    boolean wide = type == PrimitiveTypeName.INT64 || type == PrimitiveTypeName.DOUBLE;
    while (done < n) {
      int k = run(n - done);
      int present = levels(k);
      long[] target;
      if (present == k) {
        target = out;
      } else {
        if (valueScratch.length < present) {
          valueScratch = new long[Math.max(present, 1024)];
        }
        target = valueScratch;
      }
      int at = present == k ? done : 0;
      if (type == PrimitiveTypeName.BOOLEAN) {
        readBooleans(target, at, present);
      } else if (ids == null) {
        byte[] d = data;
        int p = dataPos;
        if (wide) {
          for (int i = 0; i < present; i++) {
            target[at + i] = (long) LONG_LE.get(d, p);
            p += 8;
          }
        } else {
          for (int i = 0; i < present; i++) {
            target[at + i] = (int) INT_LE.get(d, p);
            p += 4;
          }
        }
        dataPos = p;
      } else {
        if (idScratch.length < present) {
          idScratch = new int[Math.max(present, 1024)];
        }
        ids.read(idScratch, 0, present);
        long[] dict = dictFixed;
        for (int i = 0; i < present; i++) {
          target[at + i] = dict[idScratch[i]];
        }
      }
      if (present == k) {
        for (int i = 0; i < k; i++) {
          nulls[done + i] = false;
        }
      } else {
        int[] lv = levelScratch;
        int def = maxDefinition;
        int j = 0;
        for (int i = 0; i < k; i++) {
          if (lv[i] == def) {
            out[done + i] = target[j++];
            nulls[done + i] = false;
          } else {
            out[done + i] = 0;
            nulls[done + i] = true;
          }
        }
        nullCount += k - present;
      }
      consumed(k);
      done += k;
    }
    return nullCount;
  }

  /**
   * Reads the next {@code n} byte-array values into rows {@code 0..n)} of a variable-width vector
   * allocated for at least {@code n} values; the caller sets the value count. Works a page run at a
   * time: the run's value bytes are gathered into a heap array and written to the data buffer in
   * one copy, offsets are accumulated in an int array and written in one copy at the end, and
   * validity is built a 64-bit word at a time (whole words set where every value is present).
   */
  void readBinary(int n, BaseVariableWidthVector v) {
    if (offScratch.length < n + 1) {
      offScratch = new int[Math.max(n + 1, 1024)];
    }
    int words = (n + 63) >>> 6;
    if (validWords.length < words) {
      validWords = new long[words];
    } else {
      Arrays.fill(validWords, 0, words, 0L);
    }
    int[] off = offScratch;
    long[] valid = validWords;
    off[0] = 0;
    int end = 0;
    int done = 0;
    while (done < n) {
      int k = run(n - done);
      int present = levels(k);
      boolean allPresent = present == k;
      int[] lv = levelScratch;
      int def = maxDefinition;
      byte[] src;
      int[] starts = startScratch(present);
      int[] lens = lenScratch;
      if (ids == null) {
        byte[] d = data;
        int p = dataPos;
        for (int i = 0; i < present; i++) {
          int len = (int) INT_LE.get(d, p);
          starts[i] = p + 4;
          lens[i] = len;
          p += 4 + len;
        }
        dataPos = p;
        src = d;
      } else {
        if (idScratch.length < present) {
          idScratch = new int[Math.max(present, 1024)];
        }
        ids.read(idScratch, 0, present);
        int[] o = dictOffsets;
        int[] id = idScratch;
        for (int i = 0; i < present; i++) {
          int s = o[id[i]];
          starts[i] = s;
          lens[i] = o[id[i] + 1] - s;
        }
        src = dictBytes;
      }
      // gather the run's bytes, then one copy into the data buffer
      long total = 0;
      for (int i = 0; i < present; i++) {
        total += lens[i];
      }
      if (total > Integer.MAX_VALUE - end) {
        throw new IllegalStateException("string data of a batch exceeds 2 GB");
      }
      // values of up to 16 bytes move as one or two 8-byte words (the stage has 16 bytes of slack;
      // bytes written past a value are overwritten by the next one or never copied out)
      if (stage.length < total + 16) {
        stage =
            new byte
                [(int) Math.max(total + 16, Math.min(Integer.MAX_VALUE - 8, stage.length * 2L))];
      }
      byte[] st = stage;
      int s = 0;
      int wordLimit = src.length - 16;
      for (int i = 0; i < present; i++) {
        int len = lens[i];
        int from = starts[i];
        if (len <= 16 && from <= wordLimit) {
          LONG_LE.set(st, s, (long) LONG_LE.get(src, from));
          if (len > 8) {
            LONG_LE.set(st, s + 8, (long) LONG_LE.get(src, from + 8));
          }
        } else {
          System.arraycopy(src, from, st, s, len);
        }
        s += len;
      }
      ArrowBuf out = ensure(v, (long) end + total);
      out.setBytes(end, st, 0, total);
      if (allPresent) {
        int e = end;
        for (int i = 0; i < k; i++) {
          e += lens[i];
          off[done + i + 1] = e;
        }
        setRange(valid, done, k);
      } else {
        int e = end;
        int j = 0;
        for (int i = 0; i < k; i++) {
          int row = done + i;
          if (lv[i] == def) {
            e += lens[j++];
            valid[row >>> 6] |= 1L << row;
          }
          off[row + 1] = e;
        }
      }
      end += (int) total;
      consumed(k);
      done += k;
    }
    ArrowBuf offsets = v.getOffsetBuffer();
    offsets
        .nioBuffer(0, (n + 1) * 4)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asIntBuffer()
        .put(off, 0, n + 1);
    ArrowBuf validity = v.getValidityBuffer();
    validity.setZero(0, validity.capacity());
    int fullWords = n >>> 6;
    validity
        .nioBuffer(0, fullWords * 8)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asLongBuffer()
        .put(valid, 0, fullWords);
    int tailBytes = ((n & 63) + 7) >>> 3;
    if (tailBytes > 0) {
      long w = valid[fullWords];
      for (int b = 0; b < tailBytes; b++) {
        validity.setByte((long) fullWords * 8 + b, (int) (w >>> (8 * b)));
      }
    }
    v.setLastSet(n - 1);
  }

  private int[] offScratch = new int[0];
  private long[] validWords = new long[0];
  private int[] startScratch = new int[0];
  private int[] lenScratch = new int[0];
  private byte[] stage = new byte[0];

  private int[] startScratch(int present) {
    if (startScratch.length < present) {
      startScratch = new int[Math.max(present, 1024)];
      lenScratch = new int[startScratch.length];
    }
    return startScratch;
  }

  /** Sets bits {@code from..from+count)} of {@code words}. */
  static void setRange(long[] words, int from, int count) {
    int to = from + count;
    while (from < to) {
      int w = from >>> 6;
      int bit = from & 63;
      int k = Math.min(64 - bit, to - from);
      long mask = k == 64 ? -1L : ((1L << k) - 1) << bit;
      words[w] |= mask;
      from += k;
    }
  }

  private static ArrowBuf ensure(BaseVariableWidthVector v, long bytes) {
    while (v.getDataBuffer().capacity() < bytes) {
      v.reallocDataBuffer(Math.max(bytes, v.getDataBuffer().capacity() * 2));
    }
    return v.getDataBuffer();
  }

  /** Skips the next {@code n} values (of selected rows). */
  void skip(int n) {
    int done = 0;
    while (done < n) {
      int k = run(n - done);
      discard(k);
      if (selection != null) {
        selection.advance(k);
      }
      done += k;
    }
  }

  /**
   * Positions the column at the value of the next row to deliver, reading pages and skipping the
   * values of rows outside the selection.
   *
   * @return how many values from here can be read in one run: at most {@code max}, within the
   *     current page and, with a selection, within its current run of rows
   */
  private int run(int max) {
    while (true) {
      if (pageLeft == 0) {
        nextPage();
        continue;
      }
      if (selection == null) {
        return Math.min(max, pageLeft);
      }
      long target = selection.row();
      if (row < target) {
        discard((int) Math.min(target - row, pageLeft));
        continue;
      }
      if (row > target) {
        throw new IllegalStateException("row " + target + " is in none of the column's pages");
      }
      return (int) Math.min(Math.min(max, pageLeft), selection.runLength());
    }
  }

  /** After {@code k} values of the current page were read. */
  private void consumed(int k) {
    pageLeft -= k;
    row += k;
    if (selection != null) {
      selection.advance(k);
    }
  }

  /** Reads {@code present} BOOLEAN values of the current page as 0/1 into {@code out[at..]}. */
  private void readBooleans(long[] out, int at, int present) {
    if (bools != null) {
      if (idScratch.length < present) {
        idScratch = new int[Math.max(present, 1024)];
      }
      bools.read(idScratch, 0, present);
      for (int i = 0; i < present; i++) {
        out[at + i] = idScratch[i];
      }
      return;
    }
    byte[] d = data;
    int base = dataPos;
    long bit = boolBit;
    for (int i = 0; i < present; i++, bit++) {
      out[at + i] = (d[base + (int) (bit >>> 3)] >>> (int) (bit & 7)) & 1;
    }
    boolBit = bit;
  }

  /** Passes over the next {@code k} values of the current page without reading them. */
  private void discard(int k) {
    int present = levels(k);
    if (type == PrimitiveTypeName.BOOLEAN) {
      if (bools != null) {
        if (idScratch.length < present) {
          idScratch = new int[Math.max(present, 1024)];
        }
        bools.read(idScratch, 0, present);
      } else {
        boolBit += present;
      }
    } else if (ids != null) {
      if (idScratch.length < present) {
        idScratch = new int[Math.max(present, 1024)];
      }
      ids.read(idScratch, 0, present);
    } else if (type == PrimitiveTypeName.BINARY) {
      int p = dataPos;
      for (int i = 0; i < present; i++) {
        p += 4 + (int) INT_LE.get(data, p);
      }
      dataPos = p;
    } else {
      dataPos +=
          present * (type == PrimitiveTypeName.INT64 || type == PrimitiveTypeName.DOUBLE ? 8 : 4);
    }
    pageLeft -= k;
    row += k;
  }
}
