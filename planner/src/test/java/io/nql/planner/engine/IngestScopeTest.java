package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * COPY INTO on a shared gateway: each company reads only its own area {@code <root>/<slug>/}, never
 * another company's staged files nor the warehouse or the metadata store, and a refusal looks the
 * same whatever is on disk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestScopeTest {
  @TempDir static Path dir;

  private NqlEngine engine;
  private NqlSession provider;
  private NqlSession buyer;
  private Path ingest;
  private Path providerArea;
  private Path buyerArea;
  private Path warehouse;

  @BeforeAll
  void setUp() throws Exception {
    ingest = Files.createDirectories(dir.resolve("ingest")).toRealPath();
    providerArea = Files.createDirectories(ingest.resolve("acme"));
    buyerArea = Files.createDirectories(ingest.resolve("buyer_co"));
    warehouse = dir.resolve("wh");
    engine = NqlEngine.open(new EngineConfig(warehouse, null, null, null, List.of(ingest), "pw"));
    warehouse = warehouse.toRealPath();
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("acme", "buyer_co")) {
        run(admin, "CREATE COMPANY " + c);
        run(admin, "CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'");
      }
    }
    provider = engine.trusted("acme_user");
    buyer = engine.trusted("buyer_co_user");
    Files.writeString(providerArea.resolve("events.csv"), "id,email\n1,a@x.io\n2,b@x.io\n");
    try (StatementResult r = provider.execute("COPY INTO company_data.events FROM 'events.csv'")) {
      assertThat(r.updateCount()).isEqualTo(2);
    }
  }

  @AfterAll
  void tearDown() {
    buyer.close();
    provider.close();
    engine.close();
  }

  @Test
  void aCompanyLoadsItsOwnStagedFileByRelativeAbsoluteAndFileUriPaths() throws Exception {
    Path file = Files.writeString(providerArea.resolve("more.csv"), "id,email\n3,c@x.io\n");
    for (String written : List.of("more.csv", file.toString(), file.toUri().toString())) {
      try (StatementResult r =
          provider.execute("COPY INTO company_data.more FROM '" + written + "'")) {
        assertThat(r.updateCount()).as(written).isEqualTo(1);
      }
    }
    assertThat(count(provider, "company_data.more")).isEqualTo(3);
  }

  @Test
  void aBuyerCannotLoadAProvidersStagedFile() throws Exception {
    Path theirs = providerArea.resolve("events.csv");
    Files.createSymbolicLink(buyerArea.resolve("linked.csv"), theirs);
    Files.createSymbolicLink(buyerArea.resolve("linked_dir"), providerArea);
    for (String written :
        List.of(
            theirs.toString(),
            theirs.toUri().toString(),
            "../acme/events.csv",
            buyerArea + "/../acme/events.csv",
            "linked.csv",
            "linked_dir/events.csv")) {
      NqlException e = buyerCopyFails(written);
      assertThat(e.code()).as(written).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
      assertThat(e.getMessage()).isEqualTo(refusal(written));
    }
    assertThat(engine.warehouse().datasets(companyId("buyer_co"))).isEmpty();
  }

  @Test
  void aBuyerCannotLoadTheWarehouseDataFilesOrTheMetadataDatabase() throws Exception {
    Path dataFile = onlyDataFileOf(warehouse.resolve("data"));
    Path metadataDb = warehouse.resolve("metadata/nql.mv.db");
    assertThat(metadataDb).isRegularFile();
    Path link = Files.createSymbolicLink(buyerArea.resolve("wh"), warehouse);
    List<String> attempts = new ArrayList<>();
    for (Path target : List.of(dataFile, metadataDb)) {
      attempts.add(target.toString());
      attempts.add("wh/" + warehouse.relativize(target));
      attempts.add(link.resolve(warehouse.relativize(target)).toUri().toString());
    }
    Path fileLink = Files.createSymbolicLink(buyerArea.resolve("data.parquet"), dataFile);
    attempts.add(buyerArea.relativize(fileLink).toString());
    for (String written : attempts) {
      NqlException e = buyerCopyFails(written);
      assertThat(e.code()).as(written).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
      assertThat(e.getMessage()).isEqualTo(refusal(written));
    }
    assertThat(engine.warehouse().datasets(companyId("buyer_co"))).isEmpty();
  }

  /** The buyer's observation is the same whether or not the provider staged the file it names. */
  @Test
  void aRefusalIsTheSameWhetherOrNotTheFileExists() throws Exception {
    List<String> attempts =
        List.of(
            providerArea.resolve("secret.csv").toString(),
            "../acme/secret.csv",
            providerArea.resolve("secret.csv").toUri().toString());
    Files.writeString(providerArea.resolve("secret.csv"), "id\n7\n");
    List<String> staged = new ArrayList<>();
    for (String written : attempts) {
      staged.add(outcome(buyer, written));
    }
    Files.delete(providerArea.resolve("secret.csv"));
    List<String> absent = new ArrayList<>();
    for (String written : attempts) {
      absent.add(outcome(buyer, written));
    }
    assertThat(staged).isEqualTo(absent);
    assertThat(outcome(buyer, "secret.csv"))
        .as("a file missing from the buyer's own area")
        .isEqualTo("42501 " + refusal("secret.csv"));
    assertThat(staged.get(1)).isEqualTo("42501 " + refusal("../acme/secret.csv"));
  }

  @Test
  void theAdminReadsTheOperatorCompanysArea() throws Exception {
    Path operatorArea = Files.createDirectories(ingest.resolve("operator"));
    Files.writeString(operatorArea.resolve("ops.csv"), "id\n1\n");
    try (NqlSession admin = engine.trusted("admin")) {
      try (StatementResult r = admin.execute("COPY INTO company_data.ops FROM 'ops.csv'")) {
        assertThat(r.updateCount()).isEqualTo(1);
      }
      NqlException e =
          catchThrowableOfType(
              NqlException.class,
              () -> run(admin, "COPY INTO company_data.ops FROM '../acme/events.csv'"));
      assertThat(e.getMessage()).isEqualTo(refusal("../acme/events.csv"));
    }
  }

  @Test
  void aRootThatOverlapsTheWarehouseIsRefusedAtStart() throws Exception {
    Path other = Files.createDirectories(dir.resolve("start")).toRealPath();
    Path wh = Files.createDirectories(other.resolve("wh"));
    Path data = Files.createDirectories(wh.resolve("data"));
    assertThat(startFails(wh, null, wh))
        .isEqualTo(
            "Cannot use ingest root '"
                + wh
                + "': it is the warehouse directory, which COPY INTO must never read; choose a"
                + " directory outside it");
    assertThat(startFails(wh, null, other))
        .isEqualTo(
            "Cannot use ingest root '"
                + other
                + "': it contains the warehouse directory '"
                + wh
                + "', which COPY INTO must never read; choose a directory outside it");
    assertThat(startFails(wh, null, data))
        .startsWith("Cannot use ingest root '" + data + "': it is inside the warehouse directory");
  }

  @Test
  void aRootThatOverlapsAnH2MetadataStoreOutsideTheWarehouseIsRefusedAtStart() throws Exception {
    Path other = Files.createDirectories(dir.resolve("h2")).toRealPath();
    Path meta = Files.createDirectories(other.resolve("meta"));
    String url = "jdbc:h2:file:" + meta.resolve("nql") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
    assertThat(startFails(other.resolve("wh"), url, meta))
        .isEqualTo(
            "Cannot use ingest root '"
                + meta
                + "': it is the metadata store directory, which COPY INTO must never read; choose"
                + " a directory outside it");
  }

  private String startFails(Path wh, String metadataUrl, Path root) {
    NqlException e =
        catchThrowableOfType(
            NqlException.class,
            () ->
                NqlEngine.open(new EngineConfig(wh, metadataUrl, "nql", "", List.of(root), "pw"))
                    .close());
    assertThat(e).as("start with ingest root %s", root).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    assertThat(e.sqlState()).isEqualTo("22023");
    return e.getMessage();
  }

  private static String refusal(String written) {
    return "Cannot read '" + written + "': not a file in your company's ingest area";
  }

  private NqlException buyerCopyFails(String written) {
    NqlException e =
        catchThrowableOfType(
            NqlException.class,
            () -> run(buyer, "COPY INTO company_data.loot FROM '" + written + "'"));
    assertThat(e).as("COPY INTO from %s must fail", written).isNotNull();
    return e;
  }

  private static String outcome(NqlSession session, String written) {
    try {
      run(session, "COPY INTO company_data.loot FROM '" + written + "'");
      return "loaded";
    } catch (NqlException e) {
      return e.sqlState() + " " + e.getMessage();
    }
  }

  private static Path onlyDataFileOf(Path data) throws IOException {
    try (Stream<Path> files = Files.walk(data)) {
      List<Path> parquet =
          files.filter(p -> p.toString().endsWith(".parquet") && Files.isRegularFile(p)).toList();
      assertThat(parquet).as("the provider's data files").isNotEmpty();
      return parquet.get(0);
    }
  }

  private long companyId(String slug) {
    return engine.store().company(slug).orElseThrow().id();
  }

  private static long count(NqlSession s, String table) {
    try (StatementResult r = s.execute("SELECT COUNT(*) FROM " + table)) {
      return ((Number) r.next()[0]).longValue();
    }
  }

  private static void run(NqlSession s, String sql) {
    try (StatementResult r = s.execute(sql)) {
      while (r.isQuery() && r.next() != null) {
        // drain
      }
    }
  }
}
