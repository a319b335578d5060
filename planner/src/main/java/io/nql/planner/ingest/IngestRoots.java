package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The directories {@code COPY INTO} may read from. Every path is canonicalized ({@code ..} and
 * symbolic links resolved) before it is compared with the roots, so neither a relative escape nor a
 * link inside a root that points outside it can reach other files.
 */
public final class IngestRoots {
  private final List<Path> roots;

  private IngestRoots(List<Path> roots) {
    this.roots = List.copyOf(roots);
  }

  /**
   * Roots from directories; each is canonicalized now.
   *
   * @throws NqlException {@link ErrorCode#INVALID_PARAMETER_VALUE} when a root does not exist or is
   *     not a directory
   */
  public static IngestRoots of(List<Path> directories) {
    List<Path> canonical = new ArrayList<>();
    for (Path dir : directories) {
      try {
        Path real = dir.toAbsolutePath().toRealPath();
        if (!Files.isDirectory(real)) {
          throw NqlException.of(
              ErrorCode.INVALID_PARAMETER_VALUE,
              "Cannot use ingest root '%s': not a directory",
              dir);
        }
        canonical.add(real);
      } catch (IOException e) {
        throw new NqlException(
            ErrorCode.INVALID_PARAMETER_VALUE,
            String.format(Locale.ROOT, "Cannot use ingest root '%s': no such directory", dir),
            e);
      }
    }
    return new IngestRoots(canonical);
  }

  /** Roots from directories; see {@link #of(List)}. */
  public static IngestRoots of(Path... directories) {
    return of(List.of(directories));
  }

  /** No roots: every path is refused. */
  public static IngestRoots none() {
    return new IngestRoots(List.of());
  }

  /** The canonical roots, in configuration order. */
  public List<Path> roots() {
    return roots;
  }

  /**
   * Resolves a path as written in a statement to a canonical file below a root.
   *
   * @param asWritten an absolute path, a path relative to the first root, or a {@code file:} URI
   * @return the canonical path of an existing file below one of the roots
   * @throws NqlException {@link ErrorCode#PATH_NOT_ALLOWED} when no roots are configured or the
   *     path lies outside them (whether or not it exists there), {@link ErrorCode#UNDEFINED_FILE}
   *     when a path inside a root does not exist or is not a regular file, {@link
   *     ErrorCode#NOT_SUPPORTED} for URI schemes other than {@code file}
   */
  public Path resolve(String asWritten) {
    if (roots.isEmpty()) {
      throw NqlException.of(
          ErrorCode.PATH_NOT_ALLOWED,
          "Cannot read '%s': no ingest roots are configured (start the server with --ingest-root)",
          asWritten);
    }
    Path candidate = toPath(asWritten);
    Path lexical = candidate.isAbsolute() ? candidate : roots.get(0).resolve(candidate);
    lexical = lexical.normalize();
    Path real;
    try {
      real = lexical.toRealPath();
    } catch (NoSuchFileException e) {
      // Say "no such file" only when the missing path is lexically inside a root; otherwise
      // the answer would reveal which outside files exist.
      throw isUnderRoot(lexical) && isUnderRoot(realParent(lexical))
          ? notFound(asWritten)
          : outside(asWritten);
    } catch (IOException | SecurityException e) {
      throw isUnderRoot(lexical) ? notFound(asWritten) : outside(asWritten);
    }
    if (!isUnderRoot(real)) {
      throw outside(asWritten);
    }
    if (!Files.isRegularFile(real)) {
      throw notFound(asWritten);
    }
    return real;
  }

  private static Path realParent(Path lexical) {
    // Walk up to the nearest existing ancestor and canonicalize it, so that a missing file under a
    // symlinked directory pointing outside is reported as outside.
    Path p = lexical.getParent();
    while (p != null) {
      try {
        return p.toRealPath().resolve(p.relativize(lexical));
      } catch (IOException e) {
        p = p.getParent();
      }
    }
    return lexical;
  }

  private boolean isUnderRoot(Path path) {
    for (Path root : roots) {
      if (path.startsWith(root)) {
        return true;
      }
    }
    return false;
  }

  private static Path toPath(String asWritten) {
    try {
      if (asWritten.regionMatches(true, 0, "file:", 0, 5)) {
        return Paths.get(new URI(asWritten));
      }
      int colon = asWritten.indexOf(':');
      if (colon > 1 && asWritten.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
        throw NqlException.of(
            ErrorCode.NOT_SUPPORTED,
            "Cannot read '%s': only local files and file: URIs are supported",
            asWritten);
      }
      return Paths.get(asWritten);
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new NqlException(
          ErrorCode.INVALID_PARAMETER_VALUE,
          String.format(Locale.ROOT, "Cannot read '%s': not a valid path or file URI", asWritten),
          e);
    }
  }

  private static NqlException outside(String asWritten) {
    return NqlException.of(
        ErrorCode.PATH_NOT_ALLOWED,
        "Cannot read '%s': the path is outside the ingest roots",
        asWritten);
  }

  private static NqlException notFound(String asWritten) {
    return NqlException.of(ErrorCode.UNDEFINED_FILE, "Cannot read '%s': no such file", asWritten);
  }
}
