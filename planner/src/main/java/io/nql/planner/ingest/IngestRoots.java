package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The directories {@code COPY INTO} may read from, split into one area per company: a company reads
 * only below {@code <root>/<company_slug>/} of each root, and never inside an excluded directory
 * (the warehouse, the metadata store), whatever the roots.
 *
 * <p>Every path is canonicalized ({@code ..} and symbolic links resolved) before it is compared
 * with the company's areas, so neither a relative escape nor a link inside an area that points
 * elsewhere can reach other files. The area itself is not canonicalized past the root: a company
 * directory that is a symbolic link reads nothing.
 *
 * <p>Every refusal of a path gives the same error, whether the path is outside the caller's area,
 * inside an excluded directory, missing, or not a regular file, so the answer reveals nothing about
 * files the caller may not read.
 */
public final class IngestRoots {
  private static final Pattern SLUG = Pattern.compile("[a-z][a-z0-9_]*");

  private final List<Path> roots;
  private final List<Excluded> excluded;

  /**
   * A directory never read: as configured (absolute) and as it was canonically when excluded. Both
   * are checked at every resolve, so a link changed after start cannot move it out of reach.
   */
  private record Excluded(Path configured, Path canonical) {}

  private IngestRoots(List<Path> roots, List<Excluded> excluded) {
    this.roots = List.copyOf(roots);
    this.excluded = List.copyOf(excluded);
  }

  /**
   * Roots from directories; each is canonicalized now, and a directory listed twice counts once.
   *
   * @throws NqlException {@link ErrorCode#INVALID_PARAMETER_VALUE} when a root does not exist, is
   *     not a directory, or lies inside another root (a company's area under the outer root would
   *     then hold other companies' areas under the inner one)
   */
  public static IngestRoots of(List<Path> directories) {
    List<Path> canonical = new ArrayList<>();
    for (Path dir : directories) {
      Path real;
      try {
        real = dir.toAbsolutePath().toRealPath();
      } catch (IOException e) {
        throw new NqlException(
            ErrorCode.INVALID_PARAMETER_VALUE,
            String.format(Locale.ROOT, "Cannot use ingest root '%s': no such directory", dir),
            e);
      }
      if (!Files.isDirectory(real)) {
        throw NqlException.of(
            ErrorCode.INVALID_PARAMETER_VALUE, "Cannot use ingest root '%s': not a directory", dir);
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
              "Cannot use ingest root '%s': it is inside ingest root '%s', so one company's area"
                  + " would hold other companies' areas",
              a,
              b);
        }
      }
    }
    return new IngestRoots(canonical, List.of());
  }

  /** Roots from directories; see {@link #of(List)}. */
  public static IngestRoots of(Path... directories) {
    return of(List.of(directories));
  }

  /** No roots: every path is refused. */
  public static IngestRoots none() {
    return new IngestRoots(List.of(), List.of());
  }

  /**
   * These roots, never reading inside {@code directory} (e.g. the warehouse, the metadata store).
   *
   * @param what what the directory is, for messages ({@code "warehouse"})
   * @param directory the directory; canonicalized now as far as it exists
   * @return a new instance; this one is unchanged
   * @throws NqlException {@link ErrorCode#INVALID_PARAMETER_VALUE} when a root is the directory,
   *     lies inside it or contains it: an operator's misconfiguration, refused rather than silently
   *     narrowed
   */
  public IngestRoots excluding(String what, Path directory) {
    Path configured = directory.toAbsolutePath().normalize();
    Path dir = canonicalAsFarAsExists(configured);
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
            "Cannot use ingest root '"
                + root
                + "': "
                + relation
                + ", which COPY INTO must never read; choose a directory outside it");
      }
    }
    List<Excluded> more = new ArrayList<>(excluded);
    more.add(new Excluded(configured, dir));
    return new IngestRoots(roots, more);
  }

  /**
   * Whether two directories overlap: they are the same, or one lies inside the other, compared
   * canonically as far as they exist. A root may overlap no excluded directory.
   */
  public static boolean overlap(Path a, Path b) {
    Path x = canonicalAsFarAsExists(a.toAbsolutePath().normalize());
    Path y = canonicalAsFarAsExists(b.toAbsolutePath().normalize());
    return x.startsWith(y) || y.startsWith(x);
  }

  /** The canonical roots, in configuration order. */
  public List<Path> roots() {
    return roots;
  }

  /** The directories never read, whatever the roots, as they were canonically when excluded. */
  public List<Path> excluded() {
    return excluded.stream().map(Excluded::canonical).toList();
  }

  /**
   * A company's area below a root: {@code <root>/<company_slug>}. Providers stage their files
   * there.
   *
   * @param root one of {@link #roots()}
   * @param companySlug the company's slug
   */
  public static Path area(Path root, String companySlug) {
    if (companySlug == null || !SLUG.matcher(companySlug).matches()) {
      throw new IllegalArgumentException("not a company slug: " + companySlug);
    }
    return root.resolve(companySlug);
  }

  /**
   * Resolves a path as written in a statement to a canonical file in the company's area.
   *
   * @param companySlug the caller's company
   * @param asWritten an absolute path, a path relative to the company's area under the first root
   *     ({@code <first root>/<company_slug>/}), or a {@code file:} URI
   * @return the canonical path of an existing regular file below {@code <root>/<company_slug>/} of
   *     one of the roots, outside every excluded directory
   * @throws NqlException {@link ErrorCode#PATH_NOT_ALLOWED} when no roots are configured, and, with
   *     one message, when the path is anything but such a file (outside the area, in an excluded
   *     directory, missing, a directory); {@link ErrorCode#NOT_SUPPORTED} for URI schemes other
   *     than {@code file}; {@link ErrorCode#INVALID_PARAMETER_VALUE} for text that is not a path
   */
  public Path resolve(String companySlug, String asWritten) {
    Path real = canonicalInArea(companySlug, asWritten);
    if (!Files.isRegularFile(real) || hasOtherNames(real)) {
      throw notReadable(asWritten);
    }
    return real;
  }

  /**
   * Like {@link #resolve(String, String)}, but a directory in the company's area is accepted too:
   * the source of a {@code COPY INTO} that loads the files below it (each of which must then pass
   * {@link #isLoadable(String, Path)}).
   *
   * @return the canonical path of a regular file or a directory below {@code
   *     <root>/<company_slug>/} of one of the roots, outside every excluded directory
   * @throws NqlException as {@link #resolve(String, String)}
   */
  public Path resolveFileOrDirectory(String companySlug, String asWritten) {
    Path real = canonicalInArea(companySlug, asWritten);
    if (Files.isDirectory(real)) {
      return real;
    }
    if (!Files.isRegularFile(real) || hasOtherNames(real)) {
      throw notReadable(asWritten);
    }
    return real;
  }

  /**
   * Whether a canonical path is a file the company may load: a regular file with one name, in the
   * company's area below a root, outside every excluded directory. The test {@link #resolve} makes.
   */
  boolean isLoadable(String companySlug, Path real) {
    return isInArea(real, companySlug)
        && !isExcluded(real)
        && Files.isRegularFile(real)
        && !hasOtherNames(real);
  }

  /**
   * The company's area holding a canonical path that {@link #isLoadable} accepted: a file's name
   * relative to it identifies the file whichever way a statement wrote its path.
   */
  Path areaOf(String companySlug, Path real) {
    for (Path root : roots) {
      Path area = area(root, companySlug);
      if (real.startsWith(area)) {
        return area;
      }
    }
    throw new IllegalArgumentException("not in the company's area");
  }

  /** The canonical path of {@code asWritten} when it exists in the company's area, else refused. */
  private Path canonicalInArea(String companySlug, String asWritten) {
    if (roots.isEmpty()) {
      throw NqlException.of(
          ErrorCode.PATH_NOT_ALLOWED,
          "Cannot read '%s': no ingest roots are configured (start the server with --ingest-root)",
          asWritten);
    }
    Path candidate = toPath(asWritten);
    Path lexical =
        candidate.isAbsolute() ? candidate : area(roots.get(0), companySlug).resolve(candidate);
    Path real;
    try {
      real = lexical.normalize().toRealPath();
    } catch (IOException | SecurityException e) {
      throw notReadable(asWritten);
    }
    if (!isInArea(real, companySlug) || isExcluded(real)) {
      throw notReadable(asWritten);
    }
    return real;
  }

  /**
   * Whether a file has more than one hard link: another name of it may be anywhere on the file
   * system (another company's area, the warehouse), which no path check can see. A staged upload
   * has one name; where the file system cannot say, the file is taken as it is.
   */
  private static boolean hasOtherNames(Path real) {
    try {
      return ((Number) Files.getAttribute(real, "unix:nlink")).longValue() > 1;
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    } catch (IOException | SecurityException e) {
      return true;
    }
  }

  private boolean isInArea(Path real, String companySlug) {
    for (Path root : roots) {
      // The area is compared lexically below the canonical root: a canonical path never passes
      // through a symbolic link, so a company directory that is a link matches nothing.
      if (real.startsWith(area(root, companySlug))) {
        return true;
      }
    }
    return false;
  }

  private boolean isExcluded(Path real) {
    for (Excluded dir : excluded) {
      if (real.startsWith(dir.canonical())
          || real.startsWith(canonicalAsFarAsExists(dir.configured()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code absolute} with its longest existing prefix canonicalized (links followed), the rest as
   * written: where a path that does not exist yet would be.
   */
  public static Path canonicalAsFarAsExists(Path absolute) {
    for (Path p = absolute; p != null; p = p.getParent()) {
      try {
        return p.toRealPath().resolve(p.relativize(absolute));
      } catch (IOException e) {
        // not there yet: canonicalize the nearest existing ancestor
      }
    }
    return absolute;
  }

  private static Path toPath(String asWritten) {
    return toPath(asWritten, "read");
  }

  /**
   * A path or {@code file:} URI as written by a user, not yet checked.
   *
   * @param verb {@code read} or {@code write}, in the error
   * @throws NqlException 0A000 for another URI scheme, 22023 for an empty or malformed path
   */
  public static Path toPath(String asWritten, String verb) {
    try {
      if (asWritten.regionMatches(true, 0, "file:", 0, 5)) {
        return Paths.get(new URI(asWritten));
      }
      int colon = asWritten.indexOf(':');
      if (colon > 1 && asWritten.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
        throw NqlException.of(
            ErrorCode.NOT_SUPPORTED,
            "Cannot %s '%s': only local files and file: URIs are supported",
            verb,
            asWritten);
      }
      if (asWritten.isBlank() && verb.equals("write")) {
        throw new IllegalArgumentException("empty path");
      }
      return Paths.get(asWritten);
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new NqlException(
          ErrorCode.INVALID_PARAMETER_VALUE,
          String.format(
              Locale.ROOT, "Cannot %s '%s': not a valid path or file URI", verb, asWritten),
          e);
    }
  }

  /** The one error for every path a company may not read. */
  static NqlException notReadable(String asWritten) {
    return NqlException.of(
        ErrorCode.PATH_NOT_ALLOWED,
        "Cannot read '%s': not a file in your company's ingest area",
        asWritten);
  }
}
