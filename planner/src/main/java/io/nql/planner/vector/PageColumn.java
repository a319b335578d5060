package io.nql.planner.vector;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
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
    return readFixed(n, out, nulls, 0);
  }

  /** As {@link #readFixed(int, long[], boolean[])}, into {@code out[from..from+n)}. */
  int readFixed(int n, long[] out, boolean[] nulls, int from) {
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
      int at = present == k ? from + done : 0;
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
        ids.read(idScratch(present), 0, present);
        long[] dict = dictFixed;
        for (int i = 0; i < present; i++) {
          target[at + i] = dict[idScratch[i]];
        }
      }
      if (present == k) {
        Arrays.fill(nulls, from + done, from + done + k, false);
      } else {
        int[] lv = levelScratch;
        int def = maxDefinition;
        int j = 0;
        for (int i = 0; i < k; i++) {
          int row = from + done + i;
          if (lv[i] == def) {
            out[row] = target[j++];
            nulls[row] = false;
          } else {
            out[row] = 0;
            nulls[row] = true;
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
   * Reads the next {@code n} byte-array values as references into the page and dictionary bytes
   * they lie in (see {@link BinaryRefs}), a page run at a time.
   */
  void readRefs(int n, BinaryRefs refs) {
    refs.reset(n, dictBytes, dictOffsets);
    appendRefs(n, refs);
  }

  /** Reads the next {@code n} values after the rows {@code refs} holds (room for them is made). */
  void appendRefs(int n, BinaryRefs refs) {
    int from = refs.rows;
    refs.reserve(from + n);
    int[] start = refs.start;
    int[] length = refs.length;
    int[] rowIds = refs.ids;
    int done = 0;
    while (done < n) {
      int k = run(n - done);
      int present = levels(k);
      boolean allPresent = present == k;
      int at = allPresent ? from + done : 0;
      byte[] src;
      if (ids == null) {
        // PLAIN: each value's place in the page (in place when every row has one)
        int[] st = allPresent ? start : startScratch(present);
        int[] ln = allPresent ? length : lenScratch;
        byte[] d = data;
        int p = dataPos;
        for (int i = 0; i < present; i++) {
          int len = (int) INT_LE.get(d, p);
          st[at + i] = p + 4;
          ln[at + i] = len;
          p += 4 + len;
        }
        dataPos = p;
        src = d;
        if (allPresent) {
          Arrays.fill(rowIds, at, at + k, BinaryRefs.PLAIN);
        } else {
          int[] lv = levelScratch;
          int j = 0;
          for (int i = 0; i < k; i++) {
            int row = from + done + i;
            if (lv[i] == maxDefinition) {
              start[row] = st[j];
              length[row] = ln[j];
              rowIds[row] = BinaryRefs.PLAIN;
              j++;
            } else {
              rowIds[row] = BinaryRefs.NULL;
            }
          }
        }
      } else {
        // dictionary: the entry of each row is all it needs
        int[] id = allPresent ? rowIds : idScratch(present);
        ids.read(id, at, present);
        src = dictBytes;
        if (!allPresent) {
          int[] lv = levelScratch;
          int j = 0;
          for (int i = 0; i < k; i++) {
            rowIds[from + done + i] = lv[i] == maxDefinition ? id[j++] : BinaryRefs.NULL;
          }
        }
      }
      consumed(k);
      done += k;
      refs.source(src, from + done);
    }
  }

  private int[] startScratch = new int[0];
  private int[] lenScratch = new int[0];

  private int[] startScratch(int present) {
    if (startScratch.length < present) {
      startScratch = new int[Math.max(present, 1024)];
      lenScratch = new int[startScratch.length];
    }
    return startScratch;
  }

  private int[] idScratch(int present) {
    if (idScratch.length < present) {
      idScratch = new int[Math.max(present, 1024)];
    }
    return idScratch;
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
      bools.read(idScratch(present), 0, present);
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
        bools.skip(present);
      } else {
        boolBit += present;
      }
    } else if (ids != null) {
      ids.skip(present);
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
