package io.nql.server.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.regex.Pattern;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * The console's history (kept in a file, {@code ~/.nql_history} by default): JLine's, except that a
 * statement that sets a password ({@code CREATE USER … PASSWORD '…'}) is never kept, neither in the
 * file nor for the up-arrow, and the file is readable by its owner only.
 */
final class ConsoleHistory extends DefaultHistory {
  private static final Pattern PASSWORD = Pattern.compile("(?i)\\bPASSWORD\\b\\s*=?\\s*'");

  /** Whether an input holds a password literal, which history must not keep. */
  static boolean holdsPassword(String input) {
    return PASSWORD.matcher(input).find();
  }

  @Override
  public void add(Instant time, String line) {
    if (!holdsPassword(line)) {
      super.add(time, line);
    }
  }

  /** Creates the history file, owner read/write only where the file system has permissions. */
  static void prepare(Path file) throws IOException {
    if (Files.exists(file)) {
      return;
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
  }
}
