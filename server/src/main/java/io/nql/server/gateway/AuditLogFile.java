package io.nql.server.gateway;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where {@code nql serve --audit-log} writes the audit log's JSON lines: {@code stdout}, or a file
 * opened for appending (created when missing, never truncated). The engine flushes each line.
 */
final class AuditLogFile {
  /** The target naming standard output. */
  static final String STDOUT = "stdout";

  private AuditLogFile() {}

  /**
   * Opens the target; null when there is none.
   *
   * @throws IllegalStateException when the file cannot be opened for appending
   */
  static Writer open(String target) {
    if (target == null) {
      return null;
    }
    if (target.equals(STDOUT)) {
      // Standard output stays open for the rest of the process: closing the writer only flushes.
      return new OutputStreamWriter(System.out, StandardCharsets.UTF_8) {
        @Override
        public void close() throws IOException {
          flush();
        }
      };
    }
    Path file = Path.of(target).toAbsolutePath();
    try {
      return Files.newBufferedWriter(
          file,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.WRITE);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("Cannot open audit log " + file + ": " + e.getMessage(), e);
    }
  }
}
