package io.nql.planner.warehouse;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.exceptions.RuntimeIOException;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Iceberg {@link org.apache.iceberg.io.FileIO} over the local file system with {@code java.nio}, so
 * the catalog needs no Hadoop file system. Locations are absolute paths or {@code file:} URIs.
 */
public class LocalFileIO implements SupportsPrefixOperations {
  private static final long serialVersionUID = 1L;
  private static final int BUFFER_SIZE = 64 * 1024;

  /**
   * Data files opened for reading by any instance in this JVM: every file outside a table's {@code
   * metadata} directory. What never reads data (forecasts) is tested against it.
   */
  private static final AtomicLong DATA_FILE_OPENS = new AtomicLong();

  /** Creates the file IO; it has no state and no options. */
  public LocalFileIO() {}

  /** How many data files (not metadata, manifests or statistics) were opened so far. */
  public static long dataFileOpens() {
    return DATA_FILE_OPENS.get();
  }

  /**
   * The local path of a location.
   *
   * @param location an absolute path, {@code file:/path} or {@code file:///path}
   * @throws IllegalArgumentException for other schemes or relative paths
   */
  public static Path toPath(String location) {
    if (location.startsWith("file:")) {
      return Paths.get(URI.create(normalizeFileUri(location)));
    }
    if (location.contains("://")) {
      throw new IllegalArgumentException("Cannot open " + location + ": not a local location");
    }
    Path path = Paths.get(location);
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("Cannot open " + location + ": the path is not absolute");
    }
    return path;
  }

  private static String normalizeFileUri(String location) {
    // "file:/a" and "file:///a" are both usual; "file://a" would make "a" a host.
    if (location.startsWith("file://") && !location.startsWith("file:///")) {
      throw new IllegalArgumentException("Cannot open " + location + ": remote file URIs");
    }
    return location;
  }

  @Override
  public InputFile newInputFile(String location) {
    return new LocalInputFile(location, toPath(location), -1);
  }

  @Override
  public InputFile newInputFile(String location, long length) {
    return new LocalInputFile(location, toPath(location), length);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return new LocalOutputFile(location, toPath(location));
  }

  @Override
  public void deleteFile(String location) {
    try {
      Files.deleteIfExists(toPath(location));
    } catch (IOException e) {
      throw new RuntimeIOException(e, "Cannot delete file %s", location);
    }
  }

  @Override
  public Iterable<FileInfo> listPrefix(String prefix) {
    Path root = toPath(prefix);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<FileInfo> files = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class);
        if (attrs.isRegularFile()) {
          files.add(
              new FileInfo(p.toUri().toString(), attrs.size(), attrs.creationTime().toMillis()));
        }
      }
    } catch (IOException e) {
      throw new RuntimeIOException(e, "Cannot list files under %s", prefix);
    }
    return files;
  }

  @Override
  public void deletePrefix(String prefix) {
    deleteRecursively(toPath(prefix));
  }

  /** Deletes a directory and everything below it; a missing directory is fine. */
  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new RuntimeIOException(e, "Cannot delete directory %s", root);
    }
  }

  private static final class LocalInputFile implements InputFile {
    private final String location;
    private final Path path;
    private long length;

    LocalInputFile(String location, Path path, long length) {
      this.location = location;
      this.path = path;
      this.length = length;
    }

    @Override
    public long getLength() {
      if (length < 0) {
        try {
          length = Files.size(path);
        } catch (NoSuchFileException e) {
          throw new NotFoundException(e, "File does not exist: %s", location);
        } catch (IOException e) {
          throw new RuntimeIOException(e, "Cannot read length of %s", location);
        }
      }
      return length;
    }

    @Override
    public SeekableInputStream newStream() {
      Path parent = path.getParent();
      if (parent == null || !"metadata".equals(String.valueOf(parent.getFileName()))) {
        DATA_FILE_OPENS.incrementAndGet();
      }
      try {
        return new ChannelInputStream(FileChannel.open(path, StandardOpenOption.READ));
      } catch (NoSuchFileException e) {
        throw new NotFoundException(e, "File does not exist: %s", location);
      } catch (IOException e) {
        throw new RuntimeIOException(e, "Cannot open %s for reading", location);
      }
    }

    @Override
    public String location() {
      return location;
    }

    @Override
    public boolean exists() {
      return Files.isRegularFile(path);
    }
  }

  private static final class LocalOutputFile implements OutputFile {
    private final String location;
    private final Path path;

    LocalOutputFile(String location, Path path) {
      this.location = location;
      this.path = path;
    }

    @Override
    public PositionOutputStream create() {
      return open(StandardOpenOption.CREATE_NEW);
    }

    @Override
    public PositionOutputStream createOrOverwrite() {
      return open(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private PositionOutputStream open(StandardOpenOption... options) {
      try {
        Path parent = path.getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        StandardOpenOption[] all = new StandardOpenOption[options.length + 1];
        System.arraycopy(options, 0, all, 0, options.length);
        all[options.length] = StandardOpenOption.WRITE;
        return new CountingOutputStream(
            new BufferedOutputStream(Files.newOutputStream(path, all), BUFFER_SIZE));
      } catch (FileAlreadyExistsException e) {
        throw new AlreadyExistsException(e, "File already exists: %s", location);
      } catch (AccessDeniedException e) {
        throw new RuntimeIOException(e, "Cannot create %s: access denied", location);
      } catch (IOException e) {
        throw new RuntimeIOException(e, "Cannot create %s", location);
      }
    }

    @Override
    public String location() {
      return location;
    }

    @Override
    public InputFile toInputFile() {
      return new LocalInputFile(location, path, -1);
    }
  }

  /** A seekable stream over a file channel. */
  private static final class ChannelInputStream extends SeekableInputStream {
    private final FileChannel channel;
    private final java.io.InputStream in;

    ChannelInputStream(FileChannel channel) {
      this.channel = channel;
      this.in = Channels.newInputStream(channel);
    }

    @Override
    public long getPos() throws IOException {
      return channel.position();
    }

    @Override
    public void seek(long newPos) throws IOException {
      if (newPos < 0) {
        throw new IOException("Cannot seek to a negative position: " + newPos);
      }
      channel.position(newPos);
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      return channel.read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public long skip(long n) throws IOException {
      if (n <= 0) {
        return 0;
      }
      long pos = channel.position();
      long target = Math.min(channel.size(), pos + n);
      channel.position(target);
      return target - pos;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(Integer.MAX_VALUE, Math.max(0, channel.size() - channel.position()));
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** An output stream that knows how many bytes it has written. */
  private static final class CountingOutputStream extends PositionOutputStream {
    private final OutputStream out;
    private long pos;

    CountingOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      pos++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      pos += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
