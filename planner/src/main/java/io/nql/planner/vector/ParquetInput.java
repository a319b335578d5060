package io.nql.planner.vector;

import java.io.IOException;
import java.io.InputStream;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * An Iceberg input file as a Parquet one, so Parquet reads through the table's FileIO.
 *
 * <p>Small reads go through a read-ahead buffer: parquet-mr decodes the Thrift structures of the
 * page index (column and offset indexes, one per column chunk) straight from the stream, a few
 * bytes per read, which on an unbuffered file costs a system call each. Large reads (pages,
 * footers) bypass the buffer.
 */
final class ParquetInput implements InputFile {
  /** Read-ahead for small reads; larger reads go to the file directly. */
  static final int BUFFER = 8192;

  private final org.apache.iceberg.io.InputFile file;

  ParquetInput(org.apache.iceberg.io.InputFile file) {
    this.file = file;
  }

  @Override
  public long getLength() {
    return file.getLength();
  }

  @Override
  public SeekableInputStream newStream() {
    Buffered in = new Buffered(file.newStream());
    return new DelegatingSeekableInputStream(in) {
      @Override
      public long getPos() {
        return in.pos;
      }

      @Override
      public void seek(long newPos) throws IOException {
        in.seek(newPos);
      }
    };
  }

  @Override
  public String toString() {
    return file.location();
  }

  /** A seekable stream with a read-ahead buffer for small reads. */
  private static final class Buffered extends InputStream {
    private final org.apache.iceberg.io.SeekableInputStream in;
    private final byte[] buffer = new byte[BUFFER];

    /** The file position of {@code buffer[0]}, and how many bytes from there it holds. */
    private long bufferStart;

    private int buffered;

    /** The position of the next byte to read. */
    long pos;

    /** Where the file stream is (it moves only on reads from the file). */
    private long filePos;

    Buffered(org.apache.iceberg.io.SeekableInputStream in) {
      this.in = in;
    }

    void seek(long newPos) throws IOException {
      if (newPos < 0) {
        throw new IOException("Cannot seek to a negative position: " + newPos);
      }
      pos = newPos;
    }

    @Override
    public int read() throws IOException {
      if (!inBuffer() && !fill()) {
        return -1;
      }
      return buffer[(int) (pos++ - bufferStart)] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (inBuffer()) {
        int n = (int) Math.min(len, bufferStart + buffered - pos);
        System.arraycopy(buffer, (int) (pos - bufferStart), b, off, n);
        pos += n;
        return n;
      }
      if (len >= BUFFER) {
        position();
        int n = in.read(b, off, len);
        if (n > 0) {
          pos += n;
          filePos += n;
        }
        return n;
      }
      if (!fill()) {
        return -1;
      }
      return read(b, off, len);
    }

    @Override
    public long skip(long n) {
      long skipped = Math.max(0, n);
      pos += skipped;
      return skipped;
    }

    private boolean inBuffer() {
      return pos >= bufferStart && pos < bufferStart + buffered;
    }

    /** Fills the buffer from {@link #pos}; false at the end of the file. */
    private boolean fill() throws IOException {
      position();
      int n = in.read(buffer, 0, buffer.length);
      bufferStart = pos;
      buffered = Math.max(n, 0);
      if (n > 0) {
        filePos += n;
      }
      return n > 0;
    }

    private void position() throws IOException {
      if (filePos != pos) {
        in.seek(pos);
        filePos = pos;
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
