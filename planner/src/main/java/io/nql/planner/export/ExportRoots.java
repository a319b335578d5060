package io.nql.planner.export;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.ingest.IngestRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The directories {@code EXPORT} may write below, split into one area per company: a company writes
 * only below {@code <root>/<company_slug>/} of each root, and never inside an excluded directory
 * (the warehouse, the metadata store, the ingest roots), whatever the roots. The same design as
 * {@link IngestRoots}, for writing.
 *
 * <p>A target is checked before anything is written: a path with a {@code ..} element is refused
 * outright; the target's directory is canonicalized (symbolic links followed) and must lie in the
 * caller's area and outside every excluded directory; the target name itself must not be a symbolic
 * link, a directory or anything but a regular file. The directory is then opened once and every
 * later step (the temporary file, the rename) works relative to that open directory, so that a link
 * swapped into the path after the check cannot redirect the write (see {@link ExportFile}).
 *
 * <p>Every refusal of a path gives the same error, whatever the reason, so the answer reveals
 * nothing about directories the caller may not write. Only once a path is known to be in the
 * caller's own area may an error say more (the file exists, another export is writing it).
 */
public final class ExportRoots {
  private final List<Path> roots;
  private final List<Excluded> excluded;

  /** Targets being written now, so that two exports of this gateway never race for one name. */
  private final Set<Path> writing;

  /** A directory never written: as configured (absolute) and canonically when excluded. */
  private record Excluded(Path configured, Path canonical) {}

  private ExportRoots(List<Path> roots, List<Excluded> excluded, Set<Path> writing) {
    this.roots = List.copyOf(roots);
    this.excluded = List.copyOf(excluded);
    this.writing = writing;
  }

  /**
   * Roots from directories; each is canonicalized now, and a directory listed twice counts once.
   *
   * @throws NqlException {@link ErrorCode#INVALID_PARAMETER_VALUE} when a root does not exist, is
   *     not a directory, or lies inside another root (a company's area under the outer root would
   *     then hold other companies' areas under the inner one)
   */
  public static ExportRoots of(List<Path> directories) {
    List<Path> canonical = new ArrayList<>();
    for (Path dir : directories) {
      Path real;
      try {
        real = dir.toAbsolutePath().toRealPath();
      } catch (IOException e) {
        throw new NqlException(
            ErrorCode.INVALID_PARAMETER_VALUE,
            String.format(Locale.ROOT, "Cannot use export root '%s': no such directory", dir),
            e);
      }
      if (!Files.isDirectory(real)) {
        throw NqlException.of(
            ErrorCode.INVALID_PARAMETER_VALUE, "Cannot use export root '%s': not a directory", dir);
      }
      if (!canonical.contains(real)) {
        canonical.add(real);
      }
    }
    for (Path a : canonical) {
      for (Path b : canonical) {
        if (!a.equals(b) && a.startsWith(b)) {
          throw NqlException.of(
              ErrorCode.INVALID_PARAMETER_VALUE,
              "Cannot use export root '%s': it is inside export root '%s', so one company's area"
                  + " would hold other companies' areas",
              a,
              b);
        }
      }
    }
    return new ExportRoots(canonical, List.of(), ConcurrentHashMap.newKeySet());
  }

  /** Roots from directories; see {@link #of(List)}. */
  public static ExportRoots of(Path... directories) {
    return of(List.of(directories));
  }

  /** No roots: every path is refused. */
  public static ExportRoots none() {
    return new ExportRoots(List.of(), List.of(), ConcurrentHashMap.newKeySet());
  }

  /**
   * These roots, never writing inside {@code directory} (the warehouse, the metadata store, an
   * ingest root).
   *
   * @param what what the directory is, for messages ({@code "warehouse"}, {@code "ingest root"})
   * @param directory the directory; canonicalized now as far as it exists
   * @return a new instance; this one is unchanged
   * @throws NqlException {@link ErrorCode#INVALID_PARAMETER_VALUE} when a root is the directory,
   *     lies inside it or contains it: a misconfiguration, refused rather than silently narrowed
   */
  public ExportRoots excluding(String what, Path directory) {
    Path configured = directory.toAbsolutePath().normalize();
    Path dir = IngestRoots.canonicalAsFarAsExists(configured);
    for (Path root : roots) {
      String relation =
          root.equals(dir)
              ? "it is the " + what + " directory"
              : root.startsWith(dir)
                  ? "it is inside the " + what + " directory '" + dir + "'"
                  : dir.startsWith(root)
                      ? "it contains the " + what + " directory '" + dir + "'"
                      : null;
      if (relation != null) {
        throw new NqlException(
            ErrorCode.INVALID_PARAMETER_VALUE,
            "Cannot use export root '"
                + root
                + "': "
                + relation
                + ", which EXPORT must never write; choose a directory outside it");
      }
    }
    List<Excluded> more = new ArrayList<>(excluded);
    more.add(new Excluded(configured, dir));
    return new ExportRoots(roots, more, writing);
  }

  /** The canonical roots, in configuration order. */
  public List<Path> roots() {
    return roots;
  }

  /** The directories never written, whatever the roots, as they were canonically when excluded. */
  public List<Path> excluded() {
    return excluded.stream().map(Excluded::canonical).toList();
  }

  /**
   * Starts writing a file in the company's area: checks the target as the class describes, and
   * creates a new temporary file beside it. Nothing is visible at the target until {@link
   * ExportFile#commit()}; closing the file without a commit deletes the temporary file.
   *
   * @param companySlug the caller's company
   * @param asWritten an absolute path, a path relative to the company's area under the first root
   *     ({@code <first root>/<company_slug>/}), or a {@code file:} URI; its directory must exist
   * @param overwrite whether an existing regular file at the target may be replaced
   * @throws NqlException {@link ErrorCode#PATH_NOT_ALLOWED} when no roots are configured, and, with
   *     one message, when the target is anything but a new or existing regular file in an existing
   *     directory of the caller's area; {@link ErrorCode#DUPLICATE_OBJECT} when the file exists and
   *     {@code overwrite} is false; {@link ErrorCode#OBJECT_IN_USE} when another export of this
   *     gateway is writing it; {@link ErrorCode#NOT_SUPPORTED} for URI schemes other than {@code
   *     file}; {@link ErrorCode#INVALID_PARAMETER_VALUE} for text that is not a path
   */
  public ExportFile create(String companySlug, String asWritten, boolean overwrite) {
    if (roots.isEmpty()) {
      throw NqlException.of(
          ErrorCode.PATH_NOT_ALLOWED,
          "Cannot write '%s': no export roots are configured (start the server with"
              + " --export-root)",
          asWritten);
    }
    Path candidate = IngestRoots.toPath(asWritten, "write");
    for (Path element : candidate) {
      if (element.toString().equals("..")) {
        throw notWritable(asWritten);
      }
    }
    Path lexical =
        (candidate.isAbsolute()
                ? candidate
                : IngestRoots.area(roots.get(0), companySlug).resolve(candidate))
            .normalize();
    Path name = lexical.getFileName();
    Path parent = lexical.getParent();
    if (name == null || parent == null) {
      throw notWritable(asWritten);
    }
    Path directory;
    try {
      directory = parent.toRealPath();
    } catch (IOException | SecurityException e) {
      throw notWritable(asWritten);
    }
    Path target = directory.resolve(name.toString());
    if (!isInArea(target, companySlug) || isExcluded(target) || !Files.isDirectory(directory)) {
      throw notWritable(asWritten);
    }
    if (!writing.add(target)) {
      throw NqlException.of(
          ErrorCode.OBJECT_IN_USE,
          "Cannot write '%s': another EXPORT is writing this file; try again when it ends",
          asWritten);
    }
    try {
      return ExportFile.create(
          asWritten, directory, name.toString(), overwrite, () -> writing.remove(target));
    } catch (RuntimeException e) {
      writing.remove(target);
      throw e;
    }
  }

  private boolean isInArea(Path target, String companySlug) {
    for (Path root : roots) {
      // Below the canonical root, compared lexically: a company directory that is a symbolic link
      // matches nothing (the target's directory is canonical, so it passes through no link).
      Path area = IngestRoots.area(root, companySlug);
      if (target.startsWith(area) && !target.equals(area)) {
        return true;
      }
    }
    return false;
  }

  private boolean isExcluded(Path target) {
    for (Excluded dir : excluded) {
      if (target.startsWith(dir.canonical())
          || target.startsWith(IngestRoots.canonicalAsFarAsExists(dir.configured()))) {
        return true;
      }
    }
    return false;
  }

  /** The one error of every refused path. */
  static NqlException notWritable(String asWritten) {
    return NqlException.of(
        ErrorCode.PATH_NOT_ALLOWED,
        "Cannot write '%s': not a file name in your company's export area",
        asWritten);
  }
}
