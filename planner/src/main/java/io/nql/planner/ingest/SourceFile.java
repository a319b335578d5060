package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * One file a {@code COPY INTO} reads, as it was when listed.
 *
 * @param path the canonical path
 * @param name the file in messages: its path relative to the directory the statement named ({@code
 *     /}-separated), or its file name when the statement named the file
 * @param key the file's path relative to the company's area ({@code /}-separated), which identifies
 *     it in the record of loaded files whichever way a statement wrote the path; null when the file
 *     was not resolved in an area (then no record is kept)
 * @param size its size in bytes when listed
 * @param modifiedMillis its modification time when listed, in milliseconds since the epoch
 */
public record SourceFile(Path path, String name, String key, long size, long modifiedMillis) {
  /**
   * A file as it is now.
   *
   * @throws NqlException {@link ErrorCode#IO_ERROR} when its attributes cannot be read
   */
  public static SourceFile of(Path path, String name, String key) {
    BasicFileAttributes a = attributes(path, name);
    return new SourceFile(path, name, key, a.size(), a.lastModifiedTime().toMillis());
  }

  /**
   * Checks that the file still has the size and modification time it was listed with, after it was
   * read: a file written to while it was read may have been read half-way.
   *
   * @throws NqlException {@link ErrorCode#OBJECT_NOT_IN_PREREQUISITE_STATE} when it changed
   */
  void checkUnchanged() {
    BasicFileAttributes a = attributes(path, name);
    if (a.size() != size || a.lastModifiedTime().toMillis() != modifiedMillis) {
      throw NqlException.of(
          ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "Cannot load '%s': the file changed while it was being read; run the statement again"
              + " once it is complete",
          name);
    }
  }

  /**
   * The error of this file named as in a load of several files: errors of the readers name a file
   * by its file name ({@code Cannot load 'part-1.csv': …}); a file of a directory is named by its
   * path in the directory, which tells {@code 2024/part-1.csv} from {@code 2025/part-1.csv}.
   */
  NqlException named(NqlException e) {
    String base = "'" + path.getFileName() + "'";
    String shown = "'" + name + "'";
    String message = e.getMessage();
    int at = message == null ? -1 : message.indexOf(base);
    if (at < 0 || base.equals(shown)) {
      return e;
    }
    return new NqlException(
        e.code(), message.substring(0, at) + shown + message.substring(at + base.length()), e);
  }

  private static BasicFileAttributes attributes(Path path, String name) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new NqlException(
          ErrorCode.IO_ERROR, String.format(Locale.ROOT, "Cannot load '%s': read error", name), e);
    }
  }
}
