package io.nql.planner.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestRootsTest {
  @TempDir Path dir;
  Path root;
  Path outside;
  IngestRoots roots;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectories(dir.resolve("root"));
    outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(root.resolve("a.csv"), "x\n1\n");
    Files.createDirectories(root.resolve("sub"));
    Files.writeString(root.resolve("sub/b.csv"), "x\n2\n");
    Files.writeString(outside.resolve("secret.csv"), "x\n3\n");
    roots = IngestRoots.of(root);
  }

  private NqlException refused(String path) {
    return catchThrowableOfType(NqlException.class, () -> roots.resolve(path));
  }

  @Test
  void acceptsAbsoluteRelativeAndFileUri() throws Exception {
    Path expected = root.resolve("sub/b.csv").toRealPath();
    assertThat(roots.resolve(root.resolve("sub/b.csv").toString())).isEqualTo(expected);
    assertThat(roots.resolve("sub/b.csv")).isEqualTo(expected);
    assertThat(roots.resolve(root.resolve("sub/b.csv").toUri().toString())).isEqualTo(expected);
    assertThat(roots.resolve("sub/../a.csv")).isEqualTo(root.resolve("a.csv").toRealPath());
  }

  @Test
  void refusesOutsidePathWithoutRevealingExistence() {
    String existing = outside.resolve("secret.csv").toString();
    String missing = outside.resolve("nothing.csv").toString();
    NqlException e1 = refused(existing);
    NqlException e2 = refused(missing);
    assertThat(e1.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(e1.sqlState()).isEqualTo("42501");
    assertThat(e1.getMessage())
        .isEqualTo("Cannot read '" + existing + "': the path is outside the ingest roots");
    assertThat(e2.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(e2.getMessage())
        .isEqualTo("Cannot read '" + missing + "': the path is outside the ingest roots");
  }

  @Test
  void refusesDotDotEscape() {
    NqlException e = refused("../outside/secret.csv");
    assertThat(e.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(e.getMessage())
        .isEqualTo("Cannot read '../outside/secret.csv': the path is outside the ingest roots");
    assertThat(refused("sub/../../outside/nothing.csv").code())
        .isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
  }

  @Test
  void refusesSymlinkInsideRootPointingOutside() throws Exception {
    Files.createSymbolicLink(root.resolve("link.csv"), outside.resolve("secret.csv"));
    Files.createSymbolicLink(root.resolve("linkdir"), outside);
    NqlException file = refused("link.csv");
    assertThat(file.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(file.getMessage())
        .isEqualTo("Cannot read 'link.csv': the path is outside the ingest roots");
    assertThat(refused("linkdir/secret.csv").code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(refused("linkdir/nothing.csv").code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
  }

  @Test
  void symlinkInsideRootPointingInsideIsAllowed() throws Exception {
    Files.createSymbolicLink(root.resolve("alias.csv"), root.resolve("a.csv"));
    assertThat(roots.resolve("alias.csv")).isEqualTo(root.resolve("a.csv").toRealPath());
  }

  @Test
  void missingFileInsideRoot() {
    NqlException e = refused("sub/missing.csv");
    assertThat(e.code()).isEqualTo(ErrorCode.UNDEFINED_FILE);
    assertThat(e.sqlState()).isEqualTo("58P01");
    assertThat(e.getMessage()).isEqualTo("Cannot read 'sub/missing.csv': no such file");
    assertThat(refused("sub").code()).isEqualTo(ErrorCode.UNDEFINED_FILE);
  }

  @Test
  void noRootsRefusesEverything() {
    NqlException e =
        catchThrowableOfType(
            NqlException.class, () -> IngestRoots.none().resolve(root.resolve("a.csv").toString()));
    assertThat(e.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(e.getMessage()).contains("no ingest roots are configured");
  }

  @Test
  void otherSchemesAreNotSupported() {
    NqlException e = refused("s3://bucket/a.csv");
    assertThat(e.code()).isEqualTo(ErrorCode.NOT_SUPPORTED);
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot read 's3://bucket/a.csv': only local files and file: URIs are supported");
  }
}
