package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * EXPORT on a shared gateway, tried the way an attacker would: each company writes only in its own
 * area {@code <export root>/<slug>/}, never in another company's area, an ingest area, the
 * warehouse or the metadata store, whatever {@code ..}, links or file URIs it writes; every refusal
 * looks the same; and a refused export leaves every file on disk as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportScopeTest {
  @TempDir static Path dir;

  private ExportMarketplace market;
  private NqlSession acme;
  private NqlSession beta;
  private Path acmeArea;
  private Path betaArea;

  @BeforeAll
  void setUp() throws Exception {
    market = ExportMarketplace.open(dir);
    acme = market.engine.trusted("acme_user");
    beta = market.engine.trusted("beta_user");
    beta.setProperty("budget_usd", "1000");
    acmeArea = market.export.resolve("acme");
    betaArea = market.export.resolve("beta");
  }

  @AfterAll
  void tearDown() {
    beta.close();
    acme.close();
    market.engine.close();
  }

  @Test
  void aCompanyWritesItsOwnAreaByRelativeAbsoluteAndFileUriPaths() throws Exception {
    Files.createDirectories(betaArea.resolve("monthly"));
    Path absolute = betaArea.resolve("abs.csv");
    Path uri = betaArea.resolve("monthly/uri.csv");
    for (String written :
        List.of("rel.csv", "monthly/rel.csv", "./dot.csv", absolute.toString(), uri.toUri() + "")) {
      List<Object> answer =
          ExportRoundTripTest.single(
              beta, "EXPORT (SELECT id FROM acme.people_eu) TO '" + written + "'");
      assertThat(answer.get(0)).as(written).isEqualTo(30L);
      Path file = Path.of((String) answer.get(2));
      assertThat(file).startsWith(betaArea).isRegularFile();
      assertThat(Files.size(file)).isEqualTo(answer.get(1));
    }
    assertThat(absolute).isRegularFile();
    assertThat(uri).isRegularFile();
    assertThat(betaArea.resolve("monthly/rel.csv")).isRegularFile();
  }

  @Test
  void anotherCompanysAreaTheIngestAreasAndTheWarehouseAreRefusedWithOneError() throws Exception {
    Files.writeString(acmeArea.resolve("report.csv"), "acme's own report\n");
    Path acmeIngest = market.ingest.resolve("acme");
    Files.createSymbolicLink(betaArea.resolve("to_acme"), acmeArea);
    Files.createSymbolicLink(betaArea.resolve("to_ingest"), acmeIngest);
    Files.createSymbolicLink(betaArea.resolve("to_wh"), market.warehouse);
    Files.createSymbolicLink(betaArea.resolve("to_root"), market.export);
    // links at the target name: to an existing file of acme's, to a file acme does not have yet
    Files.createSymbolicLink(betaArea.resolve("linked.csv"), acmeArea.resolve("report.csv"));
    Files.createSymbolicLink(betaArea.resolve("dangling.csv"), acmeArea.resolve("new.csv"));
    Files.createDirectories(betaArea.resolve("a_directory"));
    Map<String, String> before = snapshot();
    List<String> attempts =
        List.of(
            acmeArea.resolve("out.csv").toString(),
            acmeArea.resolve("report.csv").toString(),
            acmeArea.resolve("out.csv").toUri().toString(),
            "../acme/out.csv",
            "monthly/../../acme/out.csv",
            betaArea + "/../acme/out.csv",
            "..",
            "../beta/out.csv",
            "to_acme/out.csv",
            "to_ingest/out.csv",
            "to_wh/out.csv",
            "to_wh/data/out.parquet",
            "to_root/acme/out.csv",
            "linked.csv",
            "dangling.csv",
            "a_directory",
            "missing_directory/out.csv",
            ".",
            market.export.resolve("out.csv").toString(),
            acmeIngest.resolve("out.csv").toString(),
            market.warehouse.resolve("out.csv").toString(),
            market.warehouse.resolve("metadata/out.csv").toString(),
            "/etc/out.csv");
    for (String written : attempts) {
      for (String overwrite : List.of("", " OVERWRITE = TRUE")) {
        NqlException e = betaExportFails(written, overwrite);
        assertThat(e.code()).as(written + overwrite).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
        assertThat(e.sqlState()).isEqualTo("42501");
        assertThat(e.getMessage()).isEqualTo(refusal(written));
      }
    }
    assertThat(snapshot()).as("every file as it was, no file added anywhere").isEqualTo(before);
    assertThat(acmeArea.resolve("new.csv")).doesNotExist();
  }

  /** Beta's observation is the same whether or not acme has the file beta names. */
  @Test
  void aRefusalIsTheSameWhetherOrNotTheTargetExistsInAnotherArea() throws Exception {
    List<String> attempts =
        List.of(
            acmeArea.resolve("secret.csv").toString(),
            "../acme/secret.csv",
            acmeArea.resolve("secret.csv").toUri().toString(),
            "../acme/sub/secret.csv");
    List<String> absent = new ArrayList<>();
    for (String written : attempts) {
      absent.add(outcome(beta, written));
    }
    Files.createDirectories(acmeArea.resolve("sub"));
    Files.writeString(acmeArea.resolve("secret.csv"), "x\n");
    Files.writeString(acmeArea.resolve("sub/secret.csv"), "x\n");
    List<String> present = new ArrayList<>();
    for (String written : attempts) {
      present.add(outcome(beta, written));
    }
    assertThat(present).isEqualTo(absent);
    assertThat(absent.get(1)).isEqualTo("42501 " + refusal("../acme/secret.csv"));
    assertThat(Files.readString(acmeArea.resolve("secret.csv"))).isEqualTo("x\n");
  }

  /**
   * A hard link in beta's area to one of acme's files: replacing beta's name gives it a new file;
   * acme's file, the other name of the old one, keeps its content.
   */
  @Test
  void overwritingAHardLinkReplacesTheNameNotTheOtherCompanysFile() throws Exception {
    Path theirs = Files.writeString(acmeArea.resolve("hard.csv"), "acme's data\n");
    Path ours = Files.createLink(betaArea.resolve("hard.csv"), theirs);
    ExportRoundTripTest.single(
        beta, "EXPORT (SELECT id FROM acme.people_eu) TO 'hard.csv' OVERWRITE = TRUE");
    assertThat(Files.readString(theirs)).isEqualTo("acme's data\n");
    assertThat(Files.readString(ours)).startsWith("id\r\n");
    assertThat(Files.isSameFile(ours, theirs)).isFalse();
  }

  @Test
  void anAreaThatIsALinkWritesNothing() throws Exception {
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Path gamma = Files.createSymbolicLink(market.export.resolve("operator"), elsewhere);
    try (NqlSession admin = market.engine.trusted("admin")) {
      NqlException e =
          catchThrowableOfType(
              NqlException.class,
              () -> ExportRoundTripTest.single(admin, "EXPORT (SELECT 1 AS x) TO 'x.csv'"));
      assertThat(e.getMessage()).isEqualTo(refusal("x.csv"));
    }
    try (Stream<Path> files = Files.list(elsewhere)) {
      assertThat(files).isEmpty();
    }
    Files.delete(gamma);
  }

  @Test
  void anExistingFileIsReplacedOnlyWithOverwrite() throws Exception {
    String export = "EXPORT (SELECT id FROM company_data.people WHERE id <= 2) TO 'once.csv'";
    ExportRoundTripTest.single(acme, export);
    Path file = acmeArea.resolve("once.csv");
    String first = Files.readString(file);
    assertThat(first).isEqualTo("id\r\n1\r\n2\r\n");
    Files.writeString(file, "edited by hand\n");
    for (String option : List.of("", " OVERWRITE = FALSE")) {
      NqlException e =
          catchThrowableOfType(
              NqlException.class, () -> ExportRoundTripTest.single(acme, export + option));
      assertThat(e.sqlState()).isEqualTo("42710");
      assertThat(e.getMessage())
          .isEqualTo(
              "Cannot write 'once.csv': the file exists (add OVERWRITE = TRUE to replace it)");
      assertThat(Files.readString(file)).isEqualTo("edited by hand\n");
    }
    ExportRoundTripTest.single(acme, export + " OVERWRITE = TRUE");
    assertThat(Files.readString(file)).isEqualTo(first);
    assertThat(hidden(acmeArea)).isEmpty();
  }

  @Test
  void withoutExportRootsEveryExportIsRefused() throws Exception {
    Path other = Files.createDirectories(dir.resolve("no_roots"));
    try (NqlEngine engine =
        NqlEngine.open(new EngineConfig(other.resolve("wh"), null, null, null, List.of(), "pw"))) {
      try (NqlSession admin = engine.trusted("admin")) {
        NqlException e =
            catchThrowableOfType(
                NqlException.class,
                () -> ExportRoundTripTest.single(admin, "EXPORT (SELECT 1 AS x) TO 'x.csv'"));
        assertThat(e.sqlState()).isEqualTo("42501");
        assertThat(e.getMessage())
            .isEqualTo(
                "Cannot write 'x.csv': no export roots are configured (start the server with"
                    + " --export-root)");
      }
    }
  }

  @Test
  void aRootThatOverlapsAnIngestRootTheWarehouseOrAnotherRootIsRefusedAtStart() throws Exception {
    Path base = Files.createDirectories(dir.resolve("start")).toRealPath();
    Path wh = base.resolve("wh");
    Path in = Files.createDirectories(base.resolve("in"));
    Path inner = Files.createDirectories(in.resolve("acme"));
    Path out = Files.createDirectories(base.resolve("out"));
    Files.createDirectories(wh);
    assertThat(startFails(wh, List.of(in), List.of(in)))
        .isEqualTo(
            "Cannot use export root '"
                + in
                + "': it is the ingest root directory, which EXPORT must never write; choose a"
                + " directory outside it");
    assertThat(startFails(wh, List.of(in), List.of(inner)))
        .isEqualTo(
            "Cannot use export root '"
                + inner
                + "': it is inside the ingest root directory '"
                + in
                + "', which EXPORT must never write; choose a directory outside it");
    assertThat(startFails(wh, List.of(inner), List.of(in)))
        .startsWith("Cannot use export root '" + in + "': it contains the ingest root directory");
    assertThat(startFails(wh, List.of(), List.of(wh)))
        .startsWith("Cannot use export root '" + wh + "': it is the warehouse directory");
    assertThat(startFails(wh, List.of(), List.of(base)))
        .startsWith("Cannot use export root '" + base + "': it contains the warehouse directory");
    assertThat(startFails(wh, List.of(), List.of(out, out.resolve("x"))))
        .isEqualTo("Cannot use export root '" + out.resolve("x") + "': no such directory");
    Files.createDirectories(out.resolve("x"));
    assertThat(startFails(wh, List.of(), List.of(out, out.resolve("x"))))
        .isEqualTo(
            "Cannot use export root '"
                + out.resolve("x")
                + "': it is inside export root '"
                + out
                + "', so one company's area would hold other companies' areas");
  }

  private String startFails(Path wh, List<Path> ingest, List<Path> export) {
    NqlException e =
        catchThrowableOfType(
            NqlException.class,
            () ->
                NqlEngine.open(new EngineConfig(wh, null, null, null, ingest, export, "pw"))
                    .close());
    assertThat(e).as("start with export roots %s", export).isNotNull();
    assertThat(e.sqlState()).isEqualTo("22023");
    return e.getMessage();
  }

  private static String refusal(String written) {
    return "Cannot write '" + written + "': not a file name in your company's export area";
  }

  private NqlException betaExportFails(String written, String options) {
    NqlException e =
        catchThrowableOfType(
            NqlException.class,
            () ->
                ExportRoundTripTest.single(
                    beta,
                    "EXPORT (SELECT id FROM acme.people_eu) TO '"
                        + written
                        + "' FORMAT = 'csv'"
                        + options));
    assertThat(e).as("EXPORT to %s must fail", written).isNotNull();
    return e;
  }

  private static String outcome(NqlSession session, String written) {
    try {
      ExportRoundTripTest.single(
          session, "EXPORT (SELECT id FROM acme.people_eu) TO '" + written + "'");
      return "written";
    } catch (NqlException e) {
      return e.sqlState() + " " + e.getMessage();
    }
  }

  /**
   * Every file below the test directory with its size and change time (links as links), but the
   * metadata database, which records every statement in its query log.
   */
  private Map<String, String> snapshot() throws IOException {
    Map<String, String> files = new TreeMap<>();
    Path metadata = market.warehouse.resolve("metadata");
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.filter(p -> !p.startsWith(metadata)).toList()) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          files.put(p.toString(), Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis());
        } else if (Files.isSymbolicLink(p)) {
          files.put(p.toString(), "-> " + Files.readSymbolicLink(p));
        }
      }
    }
    return files;
  }

  static List<Path> hidden(Path area) throws IOException {
    try (Stream<Path> files = Files.list(area)) {
      return files.filter(p -> p.getFileName().toString().startsWith(".")).toList();
    }
  }
}
