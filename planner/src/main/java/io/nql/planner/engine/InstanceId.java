package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The id a gateway instance serving a warehouse directory writes into its ledger reservations and
 * view runs, held while the gateway runs: each id is a file ({@code <warehouse>/instance-id}, then
 * {@code <warehouse>/instances/<id>}) that the holder keeps locked. A starting gateway takes the
 * first id no running gateway holds — the id of a gateway that stopped or was killed, whose open
 * reservations and runs it then settles — and makes a new one when every id is held. So a restarted
 * gateway finds what it left open, and two gateways sharing a warehouse and a metadata store never
 * settle each other's statements in flight. The operating system releases a killed process's locks.
 */
final class InstanceId implements AutoCloseable {
  static final String FILE = "instance-id";
  static final String DIR = "instances";

  private final String id;
  private final FileChannel channel;
  private final FileLock lock;

  private InstanceId(String id, FileChannel channel, FileLock lock) {
    this.id = id;
    this.channel = channel;
    this.lock = lock;
  }

  /** The id. */
  String id() {
    return id;
  }

  /**
   * Takes an id of {@code warehouse} that no running gateway holds, or a new one.
   *
   * @throws NqlException IO_ERROR when the id files cannot be read or created
   */
  static InstanceId claim(Path warehouse) {
    try {
      List<Path> candidates = new ArrayList<>();
      candidates.add(warehouse.resolve(FILE));
      Path dir = warehouse.resolve(DIR);
      if (Files.isDirectory(dir)) {
        try (DirectoryStream<Path> ids = Files.newDirectoryStream(dir)) {
          ids.forEach(candidates::add);
        }
        candidates.subList(1, candidates.size()).sort(null);
      }
      for (Path file : candidates) {
        InstanceId held = tryHold(file, null);
        if (held != null) {
          return held;
        }
      }
      Files.createDirectories(dir);
      while (true) {
        String id = UUID.randomUUID().toString();
        InstanceId held = tryHold(dir.resolve(id), id);
        if (held != null) {
          return held;
        }
      }
    } catch (IOException e) {
      throw new NqlException(
          ErrorCode.IO_ERROR,
          "Cannot read or create the instance id of warehouse " + warehouse + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Holds the id in {@code file} if no one else does: its id, or {@code fresh} (or a new one)
   * written into it when it has none.
   */
  private static InstanceId tryHold(Path file, String fresh) throws IOException {
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException inThisProcess) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      return null;
    }
    try {
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 256));
      channel.read(buffer, 0);
      String id = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
      if (id.isEmpty()) {
        id = fresh != null ? fresh : UUID.randomUUID().toString();
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
      }
      return new InstanceId(id, channel, lock);
    } catch (IOException | RuntimeException e) {
      lock.release();
      channel.close();
      throw e;
    }
  }

  /** Lets another gateway take the id. */
  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // closing the channel releases the lock in any case
    }
  }
}
