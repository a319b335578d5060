package io.nql.planner.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file an export writes, on a real file system: nothing is visible before the commit, a close
 * without commit leaves nothing, and what changes on disk between the check and the write — a
 * directory swapped for a link, a file created at the target, a second export of the same name —
 * cannot make the write land elsewhere or replace what it must not.
 */
class ExportRootsTest {
  @TempDir Path dir;

  private Path root;
  private Path acme;
  private Path beta;
  private ExportRoots roots;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(dir.resolve("export")).toRealPath();
    acme = Files.createDirectories(root.resolve("acme"));
    beta = Files.createDirectories(root.resolve("beta"));
    roots = ExportRoots.of(root);
  }

  @Test
  void nothingIsVisibleBeforeTheCommitAndACloseWithoutCommitLeavesNothing() throws Exception {
    try (ExportFile file = roots.create("beta", "out.csv", false)) {
      write(file, "a,b\r\n");
      assertThat(beta.resolve("out.csv")).doesNotExist();
      assertThat(list(beta)).hasSize(1).allMatch(p -> p.getFileName().toString().startsWith("."));
    }
    assertThat(list(beta)).isEmpty();
    try (ExportFile file = roots.create("beta", "out.csv", false)) {
      write(file, "a,b\r\n");
      assertThat(file.commit()).isEqualTo(beta.resolve("out.csv"));
      assertThat(file.bytes()).isEqualTo(5);
    }
    assertThat(list(beta)).containsExactly(beta.resolve("out.csv"));
    assertThat(Files.readString(beta.resolve("out.csv"))).isEqualTo("a,b\r\n");
  }

  /**
   * The directory is swapped for a link to another company's area after the check: the write goes
   * on in the directory that was checked (now under its new name), never through the link.
   */
  @Test
  void aDirectorySwappedForALinkAfterTheCheckDoesNotRedirectTheWrite() throws Exception {
    Path monthly = Files.createDirectories(beta.resolve("monthly"));
    try (ExportFile file = roots.create("beta", "monthly/out.csv", false)) {
      Path moved = beta.resolve("moved");
      Files.move(monthly, moved);
      Files.createSymbolicLink(monthly, acme);
      write(file, "beta's rows\r\n");
      file.commit();
      assertThat(moved.resolve("out.csv")).hasContent("beta's rows");
    }
    assertThat(list(acme)).isEmpty();
  }

  /** Swapped between the check and the open: the open directory is not the one checked. */
  @Test
  void aDirectoryThatIsNoLongerTheCheckedOneIsRefused() throws Exception {
    Path monthly = Files.createDirectories(beta.resolve("monthly"));
    Files.move(monthly, beta.resolve("moved"));
    Files.createSymbolicLink(monthly, acme);
    NqlException e =
        catchThrowableOfType(
            NqlException.class, () -> ExportFile.create("x", monthly, "out.csv", false, () -> {}));
    assertThat(e.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(list(acme)).isEmpty();
  }

  @Test
  void aFileCreatedAtTheTargetMeanwhileIsNotReplacedWithoutOverwrite() throws Exception {
    try (ExportFile file = roots.create("beta", "out.csv", false)) {
      write(file, "export\r\n");
      Files.writeString(beta.resolve("out.csv"), "uploaded meanwhile");
      NqlException e = catchThrowableOfType(NqlException.class, file::commit);
      assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_OBJECT);
    }
    assertThat(beta.resolve("out.csv")).hasContent("uploaded meanwhile");
    assertThat(list(beta)).containsExactly(beta.resolve("out.csv"));
  }

  @Test
  void aLinkPlacedAtTheTargetMeanwhileIsRefusedEvenWithOverwrite() throws Exception {
    Path theirs = Files.writeString(acme.resolve("theirs.csv"), "acme");
    try (ExportFile file = roots.create("beta", "out.csv", true)) {
      write(file, "export\r\n");
      Files.createSymbolicLink(beta.resolve("out.csv"), theirs);
      NqlException e = catchThrowableOfType(NqlException.class, file::commit);
      assertThat(e.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    }
    assertThat(theirs).hasContent("acme");
    assertThat(Files.isSymbolicLink(beta.resolve("out.csv"))).isTrue();
  }

  @Test
  void twoExportsOfOneTargetNeverRace() throws Exception {
    try (ExportFile first = roots.create("beta", "out.csv", true)) {
      NqlException e =
          catchThrowableOfType(
              NqlException.class, () -> roots.create("beta", beta + "/out.csv", true));
      assertThat(e.code()).isEqualTo(ErrorCode.OBJECT_IN_USE);
      assertThat(e.sqlState()).isEqualTo("55006");
      first.commit();
    }
    try (ExportFile again = roots.create("beta", "out.csv", true)) {
      again.commit();
    }
    assertThat(list(beta)).containsExactly(beta.resolve("out.csv"));
  }

  @Test
  void excludedDirectoriesAreNeverWrittenWhateverTheLinks() throws Exception {
    Path warehouse = Files.createDirectories(dir.resolve("wh"));
    ExportRoots guarded = roots.excluding("warehouse", warehouse);
    Files.createSymbolicLink(beta.resolve("wh"), warehouse);
    for (String written : List.of("wh/x.csv", warehouse.resolve("x.csv").toString())) {
      NqlException e =
          catchThrowableOfType(
              NqlException.class, () -> guarded.create("beta", written, false).close());
      assertThat(e.code()).as(written).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    }
    assertThat(list(warehouse)).isEmpty();
    assertThat(guarded.excluded()).containsExactly(warehouse.toRealPath());
  }

  @Test
  void textThatIsNoPathIsInvalid() {
    for (String written : List.of("", " ", "file:relative.csv", "a\0b.csv")) {
      NqlException e =
          catchThrowableOfType(NqlException.class, () -> roots.create("beta", written, false));
      assertThat(e.code()).as(written).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }
  }

  private static void write(ExportFile file, String text) throws IOException {
    file.stream().write(text.getBytes(StandardCharsets.UTF_8));
  }

  private static List<Path> list(Path d) throws IOException {
    try (Stream<Path> files = Files.list(d)) {
      return files.toList();
    }
  }
}
