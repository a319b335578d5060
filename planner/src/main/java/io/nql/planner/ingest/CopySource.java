package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a {@code COPY INTO} reads: one file, or the files below a directory that match a pattern, in
 * the order of their paths relative to the directory.
 *
 * <p>A directory is walked without following links. Every entry whose name starts with {@code .} or
 * {@code _} is skipped (hidden files, and the {@code _SUCCESS}, {@code .crc}, {@code _temporary}
 * markers other writers leave), directories included. Every other entry that matches the pattern
 * must be a file the company may load ({@link IngestRoots#isLoadable}): a link is followed to its
 * target, which must be a regular file with one name in the company's area, outside the warehouse;
 * anything else (a link out of the area, to a directory, a hard link, a special file, an unreadable
 * directory) fails the whole statement with the error of a path the company may not read, naming
 * the entry. A file reached twice (through links) is read once.
 *
 * @param asWritten the path as the statement wrote it
 * @param directory whether it names a directory
 * @param pattern the PATTERN that selected the files, or null
 * @param files the files, in order
 */
public record CopySource(
    String asWritten, boolean directory, String pattern, List<SourceFile> files) {

  /**
   * Resolves a statement's path in the company's area and lists what it reads.
   *
   * @param pattern a glob over the path of a file relative to the directory; one without {@code /}
   *     matches the file name at any depth ({@code *.csv}). Null: every file
   * @throws NqlException as {@link IngestRoots#resolve} for the path and for every entry the
   *     pattern selects; {@link ErrorCode#INVALID_PARAMETER_VALUE} for a pattern that is not a glob
   *     or a pattern with a path that names a file
   */
  public static CopySource resolve(
      IngestRoots roots, String companySlug, String asWritten, String pattern) {
    Path real = roots.resolveFileOrDirectory(companySlug, asWritten);
    if (!Files.isDirectory(real)) {
      if (pattern != null) {
        throw NqlException.of(
            ErrorCode.INVALID_PARAMETER_VALUE,
            "Cannot use PATTERN with '%s': it is a file; PATTERN selects the files of a directory",
            asWritten);
      }
      String key = slashes(roots.areaOf(companySlug, real).relativize(real));
      SourceFile file = SourceFile.of(real, real.getFileName().toString(), key);
      return new CopySource(asWritten, false, null, List.of(file));
    }
    return new CopySource(
        asWritten, true, pattern, list(roots, companySlug, real, matcher(pattern), pattern));
  }

  /**
   * Checks that there is something to load.
   *
   * @throws NqlException {@link ErrorCode#UNDEFINED_FILE} when no file was selected
   */
  public CopySource requireFiles() {
    if (files.isEmpty()) {
      throw NqlException.of(
          ErrorCode.UNDEFINED_FILE,
          "Cannot load '%s': %s (names starting with '.' or '_' are skipped)",
          asWritten,
          pattern == null
              ? "the directory has no files"
              : "no file in the directory matches PATTERN '" + pattern + "'");
    }
    return this;
  }

  /** The threads to read the files with: one per core, at most 8, at most one per file. */
  public int threads() {
    return FileTasks.defaultThreads(files.size());
  }

  /** Total size of the files, in bytes. */
  public long bytes() {
    return files.stream().mapToLong(SourceFile::size).sum();
  }

  private static List<SourceFile> list(
      IngestRoots roots, String companySlug, Path dir, PathMatcher matcher, String pattern) {
    boolean byName = pattern != null && pattern.indexOf('/') < 0;
    Path area = roots.areaOf(companySlug, dir);
    List<SourceFile> files = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              return d.equals(dir) || !skipped(d) ? FileVisitResult.CONTINUE : SKIP;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
              Path relative = dir.relativize(f);
              if (skipped(f) || !matches(relative)) {
                return FileVisitResult.CONTINUE;
              }
              String name = slashes(relative);
              Path real;
              try {
                real = f.toRealPath();
              } catch (IOException | SecurityException e) {
                throw IngestRoots.notReadable(name);
              }
              if (!roots.isLoadable(companySlug, real)) {
                throw IngestRoots.notReadable(name);
              }
              if (seen.add(real)) {
                files.add(SourceFile.of(real, name, slashes(area.relativize(real))));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
              // An entry that cannot be read is refused like a path outside the area, unless the
              // pattern would not have selected it anyway.
              if (skipped(f) || (!Files.isDirectory(f) && !matches(dir.relativize(f)))) {
                return FileVisitResult.CONTINUE;
              }
              throw IngestRoots.notReadable(slashes(dir.relativize(f)));
            }

            private boolean matches(Path relative) {
              return matcher == null || matcher.matches(byName ? relative.getFileName() : relative);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort(Comparator.comparing(SourceFile::name));
    return List.copyOf(files);
  }

  private static final FileVisitResult SKIP = FileVisitResult.SKIP_SUBTREE;

  /** Hidden entries and those other writers use as markers: {@code .x}, {@code _SUCCESS}. */
  private static boolean skipped(Path entry) {
    Path name = entry.getFileName();
    if (name == null) {
      return false;
    }
    String s = name.toString();
    return s.startsWith(".") || s.startsWith("_");
  }

  private static PathMatcher matcher(String pattern) {
    if (pattern == null) {
      return null;
    }
    if (pattern.isBlank()) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE, "Cannot use PATTERN '%s': it is empty", pattern);
    }
    try {
      return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    } catch (IllegalArgumentException e) {
      throw new NqlException(
          ErrorCode.INVALID_PARAMETER_VALUE,
          String.format(
              Locale.ROOT,
              "Cannot use PATTERN '%s': not a valid glob (use *, ?, ** and [a-z], {csv,tsv})",
              pattern),
          e);
    }
  }

  private static String slashes(Path relative) {
    return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
  }
}
