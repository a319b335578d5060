package io.nql.planner.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestRootsTest {
  @TempDir Path dir;
  Path root;
  Path acme;
  Path globex;
  Path outside;
  Path warehouse;
  IngestRoots roots;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectories(dir.resolve("root")).toRealPath();
    acme = Files.createDirectories(root.resolve("acme"));
    globex = Files.createDirectories(root.resolve("globex"));
    outside = Files.createDirectories(dir.resolve("outside")).toRealPath();
    warehouse = Files.createDirectories(dir.resolve("wh")).toRealPath();
    Files.writeString(acme.resolve("a.csv"), "x\n1\n");
    Files.createDirectories(acme.resolve("sub"));
    Files.writeString(acme.resolve("sub/b.csv"), "x\n2\n");
    Files.writeString(globex.resolve("staged.csv"), "x\n3\n");
    Files.writeString(outside.resolve("secret.csv"), "x\n4\n");
    Files.createDirectories(warehouse.resolve("data/7"));
    Files.writeString(warehouse.resolve("data/7/00000-0.parquet"), "PAR1");
    roots = IngestRoots.of(root).excluding("warehouse", warehouse);
  }

  private NqlException refused(String path) {
    return catchThrowableOfType(NqlException.class, () -> roots.resolve("acme", path));
  }

  private static String notReadable(String asWritten) {
    return "Cannot read '" + asWritten + "': not a file in your company's ingest area";
  }

  @Test
  void readsOwnAreaByAbsolutePathRelativePathAndFileUri() throws Exception {
    Path expected = acme.resolve("sub/b.csv");
    assertThat(roots.resolve("acme", expected.toString())).isEqualTo(expected);
    assertThat(roots.resolve("acme", "sub/b.csv")).isEqualTo(expected);
    assertThat(roots.resolve("acme", expected.toUri().toString())).isEqualTo(expected);
    assertThat(roots.resolve("acme", "sub/../a.csv")).isEqualTo(acme.resolve("a.csv"));
    assertThat(roots.resolve("globex", "staged.csv")).isEqualTo(globex.resolve("staged.csv"));
  }

  @Test
  void refusesAnotherCompanysStagedFile() {
    Path theirs = globex.resolve("staged.csv");
    for (String written :
        List.of(
            theirs.toString(),
            theirs.toUri().toString(),
            "../globex/staged.csv",
            "sub/../../globex/staged.csv",
            acme + "/../globex/staged.csv")) {
      NqlException e = refused(written);
      assertThat(e.code()).as(written).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
      assertThat(e.sqlState()).isEqualTo("42501");
      assertThat(e.getMessage()).isEqualTo(notReadable(written));
    }
  }

  @Test
  void refusesTheRootItselfAndFilesDirectlyInIt() throws Exception {
    Files.writeString(root.resolve("shared.csv"), "x\n5\n");
    assertThat(refused(root.resolve("shared.csv").toString()).getMessage())
        .isEqualTo(notReadable(root.resolve("shared.csv").toString()));
    assertThat(refused("../shared.csv").code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
  }

  @Test
  void refusesLinksInsideTheAreaThatPointElsewhere() throws Exception {
    Files.createSymbolicLink(acme.resolve("theirs.csv"), globex.resolve("staged.csv"));
    Files.createSymbolicLink(acme.resolve("theirdir"), globex);
    Files.createSymbolicLink(acme.resolve("secret.csv"), outside.resolve("secret.csv"));
    Files.createSymbolicLink(acme.resolve("wh"), warehouse);
    for (String written :
        List.of(
            "theirs.csv",
            "theirdir/staged.csv",
            "theirdir/absent.csv",
            "secret.csv",
            "wh/data/7/00000-0.parquet")) {
      assertThat(refused(written).getMessage()).as(written).isEqualTo(notReadable(written));
    }
  }

  /** A hard link has no target to canonicalize: its other name could be anywhere. */
  @Test
  void refusesFilesWithMoreThanOneName() throws Exception {
    Files.createLink(acme.resolve("hard.csv"), globex.resolve("staged.csv"));
    Files.createLink(acme.resolve("wh.parquet"), warehouse.resolve("data/7/00000-0.parquet"));
    for (String written : List.of("hard.csv", "wh.parquet")) {
      assertThat(refused(written).getMessage()).as(written).isEqualTo(notReadable(written));
    }
    assertThat(roots.resolve("acme", "a.csv")).isEqualTo(acme.resolve("a.csv"));
  }

  @Test
  void linksThatStayInTheAreaAreFollowed() throws Exception {
    Files.createSymbolicLink(acme.resolve("alias.csv"), acme.resolve("a.csv"));
    Files.createSymbolicLink(acme.resolve("subalias"), acme.resolve("sub"));
    assertThat(roots.resolve("acme", "alias.csv")).isEqualTo(acme.resolve("a.csv"));
    assertThat(roots.resolve("acme", "subalias/b.csv")).isEqualTo(acme.resolve("sub/b.csv"));
  }

  @Test
  void aCompanyDirectoryThatIsALinkReadsNothing() throws Exception {
    Files.createSymbolicLink(root.resolve("mallory"), warehouse);
    Files.createSymbolicLink(root.resolve("eve"), globex);
    NqlException intoWarehouse =
        catchThrowableOfType(
            NqlException.class, () -> roots.resolve("mallory", "data/7/00000-0.parquet"));
    assertThat(intoWarehouse.getMessage()).isEqualTo(notReadable("data/7/00000-0.parquet"));
    NqlException intoOtherArea =
        catchThrowableOfType(NqlException.class, () -> roots.resolve("eve", "staged.csv"));
    assertThat(intoOtherArea.getMessage()).isEqualTo(notReadable("staged.csv"));
  }

  /**
   * Noninterference: what a company observes when it names a path it may not read does not depend
   * on what is there. Each path is tried in a world where the target exists and one where it was
   * removed; the outcomes must be equal, and equal to the outcome of a plainly missing file.
   */
  @Test
  void refusalsDoNotDependOnWhatIsThere() throws Exception {
    Files.createSymbolicLink(acme.resolve("theirdir"), globex);
    Files.createSymbolicLink(acme.resolve("whdir"), warehouse);
    List<Path> targets =
        List.of(
            globex.resolve("staged.csv"),
            warehouse.resolve("data/7/00000-0.parquet"),
            outside.resolve("secret.csv"));
    List<String> written = new ArrayList<>();
    for (Path t : targets) {
      written.add(t.toString());
      written.add(t.toUri().toString());
      written.add(acme.relativize(t).toString());
    }
    written.add("theirdir/staged.csv");
    written.add("whdir/data/7/00000-0.parquet");
    written.add("missing.csv");
    written.add("sub");

    List<String> withFiles = outcomes(written);
    for (Path t : targets) {
      Files.delete(t);
    }
    List<String> withoutFiles = outcomes(written);

    assertThat(withoutFiles).isEqualTo(withFiles);
    for (int i = 0; i < written.size(); i++) {
      assertThat(withFiles.get(i)).isEqualTo("42501 " + notReadable(written.get(i)));
    }
  }

  private List<String> outcomes(List<String> written) {
    List<String> out = new ArrayList<>();
    for (String w : written) {
      out.add(outcome(() -> roots.resolve("acme", w).toString()));
    }
    return out;
  }

  private static String outcome(Supplier<String> resolve) {
    try {
      return "resolved " + resolve.get();
    } catch (NqlException e) {
      return e.sqlState() + " " + e.getMessage();
    }
  }

  /**
   * The resolve-time guard, apart from the area check: the warehouse is configured through a link
   * that is re-pointed after start so that the warehouse now lies inside a company's area.
   */
  @Test
  void theWarehouseIsNeverReadEvenWhenALinkBringsItIntoAnArea() throws Exception {
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere/wh"));
    Path link = Files.createSymbolicLink(dir.resolve("volume"), elsewhere.getParent());
    IngestRoots guarded = IngestRoots.of(root).excluding("warehouse", link.resolve("wh"));
    IngestRoots unguarded = IngestRoots.of(root);
    Path moved = Files.createDirectories(acme.resolve("wh/data"));
    Files.writeString(moved.resolve("f.parquet"), "PAR1");
    Files.delete(link);
    Files.createSymbolicLink(link, acme);

    assertThat(unguarded.resolve("acme", "wh/data/f.parquet"))
        .isEqualTo(moved.resolve("f.parquet"));
    NqlException e =
        catchThrowableOfType(
            NqlException.class, () -> guarded.resolve("acme", "wh/data/f.parquet"));
    assertThat(e.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(e.getMessage()).isEqualTo(notReadable("wh/data/f.parquet"));
  }

  @Test
  void aRootThatOverlapsAnExcludedDirectoryIsRefused() throws Exception {
    Path inside = Files.createDirectories(warehouse.resolve("data"));
    assertThatThrownBy(() -> IngestRoots.of(warehouse).excluding("warehouse", warehouse))
        .isInstanceOf(NqlException.class)
        .hasMessage(
            "Cannot use ingest root '"
                + warehouse
                + "': it is the warehouse directory, which COPY INTO must never read; choose a"
                + " directory outside it");
    assertThatThrownBy(() -> IngestRoots.of(dir).excluding("warehouse", warehouse))
        .hasMessage(
            "Cannot use ingest root '"
                + dir.toRealPath()
                + "': it contains the warehouse directory '"
                + warehouse
                + "', which COPY INTO must never read; choose a directory outside it");
    NqlException below =
        catchThrowableOfType(
            NqlException.class,
            () -> IngestRoots.of(inside).excluding("metadata store", warehouse));
    assertThat(below.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    assertThat(below.getMessage())
        .startsWith("Cannot use ingest root '" + inside + "': it is inside the metadata store");
  }

  @Test
  void anExcludedDirectoryIsComparedCanonically() throws Exception {
    Path alias = Files.createSymbolicLink(dir.resolve("wh-alias"), warehouse);
    assertThatThrownBy(() -> IngestRoots.of(warehouse).excluding("warehouse", alias))
        .isInstanceOf(NqlException.class)
        .hasMessageContaining("it is the warehouse directory");
    assertThat(IngestRoots.of(root).excluding("warehouse", alias).excluded())
        .containsExactly(warehouse);
    assertThat(IngestRoots.of(root).excluding("warehouse", warehouse.resolve("not/yet")).excluded())
        .containsExactly(warehouse.resolve("not/yet"));
  }

  @Test
  void overlapComparesCanonicallyAsFarAsTheDirectoriesExist() throws Exception {
    Path alias = Files.createSymbolicLink(dir.resolve("root-alias"), root);
    assertThat(IngestRoots.overlap(root, root)).isTrue();
    assertThat(IngestRoots.overlap(dir, alias.resolve("acme/not-yet"))).isTrue();
    assertThat(IngestRoots.overlap(alias.resolve("acme/not-yet"), acme)).isTrue();
    assertThat(IngestRoots.overlap(acme, globex)).isFalse();
    assertThat(IngestRoots.overlap(root, root.resolveSibling("root2"))).isFalse();
  }

  @Test
  void nestedRootsAreRefusedAndDuplicatesCountOnce() {
    assertThatThrownBy(() -> IngestRoots.of(root, acme))
        .isInstanceOf(NqlException.class)
        .hasMessage(
            "Cannot use ingest root '"
                + acme
                + "': it is inside ingest root '"
                + root
                + "', so one company's area would hold other companies' areas");
    assertThat(IngestRoots.of(root, dir.resolve("root")).roots()).containsExactly(root);
  }

  @Test
  void everyRootHasAnAreaAndRelativePathsUseTheFirst() throws Exception {
    Path second = Files.createDirectories(dir.resolve("second")).toRealPath();
    Path there =
        Files.writeString(Files.createDirectories(second.resolve("acme")).resolve("c.csv"), "x\n");
    IngestRoots two = IngestRoots.of(root, second);
    assertThat(two.resolve("acme", there.toString())).isEqualTo(there);
    assertThat(two.resolve("acme", "a.csv")).isEqualTo(acme.resolve("a.csv"));
    assertThat(catchThrowableOfType(NqlException.class, () -> two.resolve("acme", "c.csv")))
        .isNotNull();
  }

  @Test
  void areaIsRootSlashSlugAndRejectsNonSlugs() {
    assertThat(IngestRoots.area(root, "buyer_co")).isEqualTo(root.resolve("buyer_co"));
    assertThatThrownBy(() -> IngestRoots.area(root, "../acme"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> roots.resolve("", "a.csv"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void noRootsRefusesEverything() {
    NqlException e =
        catchThrowableOfType(
            NqlException.class,
            () -> IngestRoots.none().resolve("acme", acme.resolve("a.csv").toString()));
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
