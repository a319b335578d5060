package io.nql.planner.export;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;

/**
 * One file being exported, all or nothing: the rows go to a new temporary file ({@code
 * .nql-export-<uuid>.tmp}) in the target's directory, and {@link #commit()} flushes it to disk
 * (fsync), renames it atomically to the target and syncs the directory. {@link #close()} without a
 * commit deletes the temporary file, so a failure or a cancel leaves nothing behind (a process that
 * is killed may leave the hidden temporary file).
 *
 * <p>The directory is opened once ({@link SecureDirectoryStream}) after it was checked, and
 * verified to be the directory checked: the temporary file is created, and renamed, relative to
 * that open directory and without following links, so no path swapped meanwhile can redirect them.
 * Not thread-safe.
 */
public final class ExportFile implements AutoCloseable {
  private static final int BUFFER_SIZE = 1 << 16;

  private final String asWritten;
  private final Path directory;
  private final Path name;
  private final Path temporary;
  private final boolean overwrite;
  private final SecureDirectoryStream<Path> open;
  private final FileChannel channel;
  private final Runnable release;
  private final CountingStream stream;
  private boolean committed;
  private boolean closed;

  private ExportFile(
      String asWritten,
      Path directory,
      String name,
      boolean overwrite,
      SecureDirectoryStream<Path> open,
      Path temporary,
      FileChannel channel,
      Runnable release) {
    this.asWritten = asWritten;
    this.directory = directory;
    this.name = directory.getFileSystem().getPath(name);
    this.overwrite = overwrite;
    this.open = open;
    this.temporary = temporary;
    this.channel = channel;
    this.release = release;
    this.stream = new CountingStream(channel);
  }

  /**
   * Opens {@code directory} (canonical, already checked), checks the target name in it and creates
   * the temporary file; see {@link ExportRoots#create}.
   */
  static ExportFile create(
      String asWritten, Path directory, String name, boolean overwrite, Runnable release) {
    SecureDirectoryStream<Path> open = openVerified(asWritten, directory);
    try {
      checkTarget(open, asWritten, directory.getFileSystem().getPath(name), overwrite);
      Path temporary =
          directory.getFileSystem().getPath(".nql-export-" + UUID.randomUUID() + ".tmp");
      SeekableByteChannel created =
          open.newByteChannel(
              temporary,
              Set.of(
                  StandardOpenOption.CREATE_NEW,
                  StandardOpenOption.WRITE,
                  LinkOption.NOFOLLOW_LINKS));
      if (!(created instanceof FileChannel channel)) {
        created.close();
        open.deleteFile(temporary);
        throw unsupported(asWritten);
      }
      return new ExportFile(
          asWritten, directory, name, overwrite, open, temporary, channel, release);
    } catch (IOException e) {
      closeQuietly(open);
      throw ioError(asWritten, e);
    } catch (RuntimeException e) {
      closeQuietly(open);
      throw e;
    }
  }

  /**
   * The directory opened, and verified to be the one that was checked: the canonical path still has
   * no link on it and names the same file system object the open directory is.
   */
  private static SecureDirectoryStream<Path> openVerified(String asWritten, Path directory) {
    DirectoryStream<Path> stream;
    try {
      stream = Files.newDirectoryStream(directory);
    } catch (IOException | SecurityException e) {
      throw ExportRoots.notWritable(asWritten);
    }
    if (!(stream instanceof SecureDirectoryStream<Path> open)) {
      closeQuietly(stream);
      throw unsupported(asWritten);
    }
    try {
      Object openKey =
          open.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
      Object pathKey =
          Files.readAttributes(directory, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              .fileKey();
      if (openKey == null
          || !openKey.equals(pathKey)
          || !directory.toRealPath().equals(directory)) {
        throw ExportRoots.notWritable(asWritten);
      }
      return open;
    } catch (IOException | SecurityException e) {
      closeQuietly(open);
      throw ExportRoots.notWritable(asWritten);
    } catch (RuntimeException e) {
      closeQuietly(open);
      throw e;
    }
  }

  /**
   * The target name in the open directory: absent, or (with {@code overwrite}) a regular file.
   * Anything else (a link, a directory, a device) gets the one error of a refused path.
   */
  private static void checkTarget(
      SecureDirectoryStream<Path> open, String asWritten, Path name, boolean overwrite)
      throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes =
          open.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
              .readAttributes();
    } catch (NoSuchFileException e) {
      return;
    }
    if (!attributes.isRegularFile()) {
      throw ExportRoots.notWritable(asWritten);
    }
    if (!overwrite) {
      throw exists(asWritten);
    }
  }

  /**
   * The stream the file's bytes go to. Closing it flushes it; the file stays open until {@link
   * #commit()} or {@link #close()}.
   */
  public PositionOutputStream stream() {
    return stream;
  }

  /** The file as Iceberg's Parquet writer takes it: {@link #stream()}, created once. */
  public OutputFile outputFile() {
    return new OutputFile() {
      @Override
      public PositionOutputStream create() {
        return stream;
      }

      @Override
      public PositionOutputStream createOrOverwrite() {
        return stream;
      }

      @Override
      public String location() {
        return directory.resolve(name).toString();
      }

      @Override
      public InputFile toInputFile() {
        throw new UnsupportedOperationException("an export is not read back");
      }
    };
  }

  /** The target as the statement wrote it, for messages. */
  public String asWritten() {
    return asWritten;
  }

  /** Bytes written so far. */
  public long bytes() {
    return stream.position;
  }

  /**
   * Makes the file visible at its target: flushes and syncs it, renames it over the target (which
   * must still be absent unless overwriting) and syncs the directory.
   *
   * @return the target's canonical path
   * @throws NqlException {@link ErrorCode#DUPLICATE_OBJECT} when a file appeared at the target
   *     meanwhile and {@code overwrite} is false; {@link ErrorCode#IO_ERROR} when writing fails;
   *     the temporary file is then deleted at {@link #close()}
   */
  public Path commit() {
    if (committed || closed) {
      throw new IllegalStateException("already committed or closed");
    }
    try {
      stream.flush();
      channel.force(true);
      channel.close();
      checkTarget(open, asWritten, name, overwrite);
      open.move(temporary, open, name);
      committed = true;
    } catch (FileAlreadyExistsException e) {
      throw exists(asWritten);
    } catch (IOException e) {
      throw ioError(asWritten, e);
    }
    syncDirectory();
    return directory.resolve(name);
  }

  /** Makes the rename durable; where a directory cannot be synced the rename still happened. */
  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | RuntimeException e) {
      // not every file system syncs a directory: the file itself is on disk
    }
  }

  /** Ends the export; without a commit, deletes the temporary file. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!committed) {
        try {
          channel.close();
        } catch (IOException e) {
          // deleting it is what matters
        }
        try {
          open.deleteFile(temporary);
        } catch (NoSuchFileException e) {
          // already gone
        } catch (IOException e) {
          throw ioError(asWritten, e);
        }
      }
    } finally {
      closeQuietly(open);
      release.run();
    }
  }

  private static NqlException exists(String asWritten) {
    return NqlException.of(
        ErrorCode.DUPLICATE_OBJECT,
        "Cannot write '%s': the file exists (add OVERWRITE = TRUE to replace it)",
        asWritten);
  }

  private static NqlException unsupported(String asWritten) {
    return NqlException.of(
        ErrorCode.NOT_SUPPORTED,
        "Cannot write '%s': this platform's file system cannot create files race-free"
            + " (no SecureDirectoryStream)",
        asWritten);
  }

  private static NqlException ioError(String asWritten, IOException e) {
    return new NqlException(
        ErrorCode.IO_ERROR,
        "Cannot write '" + asWritten + "': I/O error while writing the file",
        e);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // the error being reported is the one that matters
    }
  }

  /** A buffered stream over the channel that knows its position; close only flushes. */
  private static final class CountingStream extends PositionOutputStream {
    private final OutputStream out;
    private long position;

    CountingStream(FileChannel channel) {
      this.out =
          new BufferedOutputStream(
              new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                  write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                  ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                  while (buffer.hasRemaining()) {
                    channel.write(buffer);
                  }
                }
              },
              BUFFER_SIZE);
    }

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      position++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      out.write(b, off, len);
      position += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
