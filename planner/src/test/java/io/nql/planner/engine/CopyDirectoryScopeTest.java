package io.nql.planner.engine;

import static io.nql.planner.engine.CopyWorld.column;
import static io.nql.planner.engine.CopyWorld.csv;
import static io.nql.planner.engine.CopyWorld.fails;
import static io.nql.planner.engine.CopyWorld.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory load as an attacker sees it: a company that stages a directory with a link (or a hard
 * link) to another company's file, to a file or directory outside the ingest root, or to the
 * warehouse, loads nothing at all, and gets the one error of a path it may not read, naming the
 * entry: the same whether the target exists or not. Links to directories are never followed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CopyDirectoryScopeTest {
  @TempDir static Path dir;
  CopyWorld world;
  Path acme;
  Path globex;
  Path outside;

  @BeforeAll
  void setUp() throws Exception {
    world = new CopyWorld(dir);
    acme = world.area("acme");
    globex = world.area("globex");
    outside = Files.createDirectories(dir.resolve("outside")).toRealPath();
    csv(globex.resolve("secret.csv"), 7_000, 3);
    csv(globex.resolve("private/more.csv"), 8_000, 3);
    csv(outside.resolve("loose.csv"), 9_000, 3);
    // globex's own data in the warehouse, a target too
    update(world.globex, "COPY INTO company_data.secret FROM 'secret.csv'");
  }

  @AfterAll
  void tearDown() {
    world.close();
  }

  private static String refusal(String written) {
    return "Cannot read '" + written + "': not a file in your company's ingest area";
  }

  /** A fresh directory of two good files of acme's. */
  private Path staged(String name) throws Exception {
    Path d = acme.resolve(name);
    csv(d.resolve("a.csv"), 1, 2);
    csv(d.resolve("sub/b.csv"), 3, 2);
    return d;
  }

  @Test
  void aLinkOrHardLinkAnywhereButTheCompanysOwnFilesFailsTheWholeLoad() throws Exception {
    Path warehouseFile = world.dataFiles().get(0);
    Map<String, Path> attacks = new LinkedHashMap<>();
    attacks.put("theirs.csv", globex.resolve("secret.csv"));
    attacks.put("sub/their_dir", globex.resolve("private"));
    attacks.put("their_area", globex);
    attacks.put("loose.csv", outside.resolve("loose.csv"));
    attacks.put("outside_dir", outside);
    attacks.put("root.csv", world.root);
    attacks.put("data.parquet", warehouseFile);
    attacks.put("warehouse", world.warehouse);
    attacks.put("gone.csv", globex.resolve("no-such-file.csv"));
    int n = 0;
    for (Map.Entry<String, Path> attack : attacks.entrySet()) {
      String name = "attack" + n++;
      Path d = staged(name);
      Path link = d.resolve(attack.getKey());
      Files.createSymbolicLink(link, attack.getValue());
      assertRefused(name, attack.getKey());
      // relative links are resolved the same way
      Files.delete(link);
      Files.createSymbolicLink(link, link.getParent().relativize(attack.getValue()));
      assertRefused(name, attack.getKey());
    }
    Path hard = staged("hard");
    Files.createLink(hard.resolve("sub/copy.csv"), globex.resolve("secret.csv"));
    assertRefused("hard", "sub/copy.csv");
  }

  private void assertRefused(String directory, String entry) {
    NqlException e =
        fails(world.acme, "COPY INTO company_data." + directory + " FROM '" + directory + "'");
    assertThat(e.code()).as(entry).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(e.getMessage()).as(entry).isEqualTo(refusal(entry));
    assertThat(world.table(directory)).as("nothing created for " + entry).isNull();
    // into a dataset that exists, nothing is appended either
    update(world.acme, "CREATE DATASET \"" + directory + "\" (id BIGINT, name VARCHAR)");
    NqlException again =
        fails(world.acme, "COPY INTO company_data." + directory + " FROM '" + directory + "'");
    assertThat(again.getMessage()).isEqualTo(refusal(entry));
    assertThat(world.snapshots(directory)).isEmpty();
    update(world.acme, "DROP DATASET \"" + directory + "\"");
  }

  @Test
  void aRefusedLinkLooksTheSameWhetherItsTargetExists() throws Exception {
    Path d = staged("probe");
    Path link = Files.createSymbolicLink(d.resolve("x.csv"), globex.resolve("secret.csv"));
    String staged = fails(world.acme, "COPY INTO company_data.probe FROM 'probe'").toString();
    Files.delete(link);
    Files.createSymbolicLink(link, globex.resolve("absent.csv"));
    String absent = fails(world.acme, "COPY INTO company_data.probe FROM 'probe'").toString();
    assertThat(staged).isEqualTo(absent).isEqualTo("42501: " + refusal("x.csv"));
  }

  @Test
  void aDirectoryOutsideTheAreaIsRefusedAsAFileIs() throws Exception {
    Files.createSymbolicLink(acme.resolve("to_globex"), globex);
    for (String written :
        List.of("../globex", globex.toString(), globex.toUri().toString(), "to_globex", "..")) {
      NqlException e = fails(world.acme, "COPY INTO company_data.stolen FROM '" + written + "'");
      assertThat(e.getMessage()).as(written).isEqualTo(refusal(written));
    }
    assertThat(world.table("stolen")).isNull();
  }

  @Test
  void linksToDirectoriesAreNotFollowedAndOwnFilesReachedTwiceLoadOnce() throws Exception {
    Path d = staged("own");
    // a link the PATTERN does not select is never looked at, so globex's files stay unread
    Files.createSymbolicLink(d.resolve("sub/their_csvs"), globex);
    // a link to acme's own file, elsewhere in its area, loads; a second name of a.csv loads once
    csv(acme.resolve("elsewhere/c.csv"), 5, 1);
    Files.createSymbolicLink(d.resolve("c.csv"), acme.resolve("elsewhere/c.csv"));
    Files.createSymbolicLink(d.resolve("sub/again.csv"), d.resolve("a.csv"));

    assertThat(update(world.acme, "COPY INTO company_data.own FROM 'own' PATTERN = '*.csv'"))
        .isEqualTo(5);
    assertThat(column(world.acme, "SELECT id FROM company_data.own ORDER BY id"))
        .containsExactly("1", "2", "3", "4", "5");
  }
}
