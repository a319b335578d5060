package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.NqlException;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import io.nql.planner.store.MetadataStore;
import io.nql.planner.store.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the public engine API: every statement fails with the documented SQLSTATE and a
 * one-line message naming the object and the reason, and leaves the catalog exactly as it was: the
 * same companies, users and datasets (names and ids), the same current snapshot of every dataset,
 * and the same files under the warehouse's data directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  @TempDir static Path dir;

  private NqlEngine engine;
  private NqlSession admin;
  private NqlSession acme;
  private NqlSession globex;
  private Path acmeArea;
  private Path globexArea;
  private Path outside;
  private long purchasesId;
  private long eventsId;

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = Files.createDirectories(dir.resolve("ingest"));
    acmeArea = Files.createDirectories(ingest.resolve("acme"));
    globexArea = Files.createDirectories(ingest.resolve("globex"));
    outside = Files.createDirectories(dir.resolve("outside"));
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "admin-pw-1"));
    admin = engine.trusted("admin");
    run(admin, "CREATE COMPANY acme");
    run(admin, "CREATE COMPANY globex");
    run(admin, "CREATE USER \"acme_user\" COMPANY acme PASSWORD 'acme-pw-1'");
    run(admin, "CREATE USER \"globex_user\" COMPANY globex PASSWORD 'globex-pw-1'");
    acme = engine.login("acme_user", "acme-pw-1".toCharArray());
    globex = engine.login("globex_user", "globex-pw-1".toCharArray());

    run(
        acme,
        "CREATE DATASET \"events\" (id BIGINT NOT NULL, event_day DATE, qty INTEGER, name VARCHAR)");
    Path seed =
        csv("events_seed.csv", "id,event_day,qty,name\n1,2026-10-01,5,a\n2,2026-10-02,6,b\n");
    try (StatementResult r = acme.execute("COPY INTO company_data.events FROM '" + seed + "'")) {
      assertThat(r.updateCount()).isEqualTo(2);
    }
    Path purchases =
        Files.writeString(
            globexArea.resolve("purchases.csv"), "order_id,amount\n10,1.50\n11,2.25\n");
    try (StatementResult r =
        globex.execute("COPY INTO company_data.purchases FROM '" + purchases + "'")) {
      assertThat(r.updateCount()).isEqualTo(2);
    }
    eventsId = datasetId("acme", "events");
    purchasesId = datasetId("globex", "purchases");
    assertThat(eventsId).isNotEqualTo(purchasesId);
  }

  @AfterAll
  void tearDown() {
    for (NqlSession s : new NqlSession[] {acme, globex, admin}) {
      if (s != null) {
        s.close();
      }
    }
    if (engine != null) {
      engine.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Malformed files and wrong types, into an existing dataset

  @Nested
  class MalformedFiles {
    @Test
    void raggedRow() throws Exception {
      Path f = csv("ragged.csv", "id,event_day,qty,name\n3,2026-10-03,7,c\n4,2026-10-04\n");
      NqlException e = fails(acme, copyInto("events", f));
      assertThat(e.sqlState()).isEqualTo("22P04");
      assertThat(e.getMessage())
          .contains("'ragged.csv'")
          .contains("line 3")
          .contains("expected 4 fields, found 2");
    }

    @Test
    void brokenQuote() throws Exception {
      Path f = csv("quote.csv", "id,event_day,qty,name\n3,2026-10-03,7,c\n4,2026-10-04,8,\"open\n");
      NqlException e = fails(acme, copyInto("events", f));
      assertThat(e.sqlState()).isEqualTo("22P04");
      assertThat(e.getMessage()).contains("'quote.csv'").contains("line 3").contains("quoted");
    }

    @Test
    void textAfterClosingQuote() throws Exception {
      Path f = csv("after_quote.csv", "id,event_day,qty,name\n3,2026-10-03,7,\"ab\"cd\n");
      NqlException e = fails(acme, copyInto("events", f));
      assertThat(e.sqlState()).isEqualTo("22P04");
      assertThat(e.getMessage()).contains("'after_quote.csv'").contains("line 2");
    }

    @Test
    void nonNumberInBigintColumn() throws Exception {
      StringBuilder b = new StringBuilder("id,event_day,qty,name\n");
      for (int i = 100; i < 600; i++) {
        b.append(i).append(",2026-10-0").append(1 + i % 9).append(",1,x\n");
      }
      b.append("twelve,2026-10-05,1,y\n");
      Path f = csv("not_a_number.csv", b.toString());
      NqlException e = fails(acme, copyInto("events", f));
      assertThat(e.sqlState()).isEqualTo("22P02");
      assertThat(e.getMessage())
          .contains("'not_a_number.csv'")
          .contains("line 502")
          .contains("column 'id'")
          .contains("'twelve'")
          .contains("BIGINT");
    }

    @Test
    void invalidDate() throws Exception {
      Path f = csv("bad_date.csv", "id,event_day,qty,name\n3,2026-10-03,7,c\n4,2026-02-30,8,d\n");
      NqlException e = fails(acme, copyInto("events", f));
      assertThat(e.sqlState()).isEqualTo("22P02");
      assertThat(e.getMessage())
          .contains("'bad_date.csv'")
          .contains("line 3")
          .contains("column 'event_day'")
          .contains("'2026-02-30'")
          .contains("DATE");
    }

    @Test
    void nullInRequiredColumn() throws Exception {
      Path f = csv("null_id.csv", "id,event_day,qty,name\n3,2026-10-03,7,c\n,2026-10-04,8,d\n");
      NqlException e = fails(acme, copyInto("events", f));
      assertThat(e.sqlState()).isEqualTo("22000");
      assertThat(e.getMessage()).contains("'null_id.csv'").contains("line 3").contains("'id'");
    }

    @Test
    void fileColumnTheDatasetLacks() throws Exception {
      Path f = csv("extra.csv", "id,event_day,qty,name,colour\n3,2026-10-03,7,c,red\n");
      NqlException e = fails(acme, copyInto("events", f));
      assertThat(e.sqlState()).isEqualTo("42703");
      assertThat(e.getMessage())
          .isEqualTo("Cannot load 'extra.csv': column 'colour' is not in table 'events'");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Files: missing, outside the company's ingest area, escapes. Every refusal is one error (42501,
  // one message) so that it tells nothing about files the caller may not read.

  @Nested
  class Paths {
    private static final String REFUSED = "': not a file in your company's ingest area";

    @Test
    void missingFileInOwnArea() {
      Path f = acmeArea.resolve("nothing_here.csv");
      NqlException e = fails(acme, copyInto("events", f));
      assertThat(e.sqlState()).isEqualTo("42501");
      assertThat(e.getMessage()).isEqualTo("Cannot read '" + f + REFUSED);
    }

    @Test
    void missingFileRelativeToOwnArea() {
      NqlException e = fails(acme, "COPY INTO company_data.events FROM 'sub/nothing.csv'");
      assertThat(e.sqlState()).isEqualTo("42501");
      assertThat(e.getMessage()).isEqualTo("Cannot read 'sub/nothing.csv" + REFUSED);
    }

    @Test
    void existingFileOutsideRoots() throws Exception {
      Path f = Files.writeString(outside.resolve("secret.csv"), "id\n1\n");
      NqlException e = fails(acme, copyInto("events", f));
      assertThat(e.sqlState()).isEqualTo("42501");
      assertThat(e.getMessage()).isEqualTo("Cannot read '" + f + REFUSED);
    }

    @Test
    void missingFileOutsideRootsLooksLikeAnyOtherOutsidePath() {
      Path f = outside.resolve("does_not_exist.csv");
      NqlException e = fails(acme, copyInto("events", f));
      assertThat(e.sqlState()).isEqualTo("42501");
      assertThat(e.getMessage()).isEqualTo("Cannot read '" + f + REFUSED);
    }

    @Test
    void anotherCompanysStagedFileLooksLikeAMissingFile() {
      Path theirs = globexArea.resolve("purchases.csv");
      assertThat(theirs).isRegularFile();
      for (String written :
          List.of(theirs.toString(), "../globex/purchases.csv", "../globex/nothing.csv")) {
        NqlException e = fails(acme, "COPY INTO company_data.events FROM '" + written + "'");
        assertThat(e.sqlState()).isEqualTo("42501");
        assertThat(e.getMessage()).isEqualTo("Cannot read '" + written + REFUSED);
      }
    }

    @Test
    void dotDotEscape() throws Exception {
      Files.writeString(outside.resolve("secret2.csv"), "id\n1\n");
      String written = acmeArea + "/../../outside/secret2.csv";
      NqlException e = fails(acme, "COPY INTO company_data.events FROM '" + written + "'");
      assertThat(e.sqlState()).isEqualTo("42501");
      assertThat(e.getMessage()).isEqualTo("Cannot read '" + written + REFUSED);
    }

    @Test
    void relativeDotDotEscape() throws Exception {
      Files.writeString(outside.resolve("secret3.csv"), "id\n1\n");
      NqlException e =
          fails(acme, "COPY INTO company_data.events FROM '../../outside/secret3.csv'");
      assertThat(e.sqlState()).isEqualTo("42501");
      assertThat(e.getMessage()).isEqualTo("Cannot read '../../outside/secret3.csv" + REFUSED);
    }

    @Test
    void symlinkInsideAreaPointingOutside() throws Exception {
      Path target =
          Files.writeString(outside.resolve("linked.csv"), "id,event_day,qty,name\n9,,,\n");
      Path link = Files.createSymbolicLink(acmeArea.resolve("link.csv"), target);
      NqlException e = fails(acme, copyInto("events", link));
      assertThat(e.sqlState()).isEqualTo("42501");
      assertThat(e.getMessage()).isEqualTo("Cannot read '" + link + REFUSED);
    }

    @Test
    void symlinkedDirectoryInsideAreaPointingOutside() throws Exception {
      Files.writeString(outside.resolve("in_dir.csv"), "id,event_day,qty,name\n9,,,\n");
      Path link = Files.createSymbolicLink(acmeArea.resolve("outdir"), outside);
      NqlException e = fails(acme, copyInto("events", link.resolve("in_dir.csv")));
      assertThat(e.sqlState()).isEqualTo("42501");
      NqlException missing = fails(acme, copyInto("events", link.resolve("absent.csv")));
      assertThat(missing.getMessage())
          .as("a missing file behind the link must not be told apart")
          .isEqualTo(e.getMessage().replace("in_dir.csv", "absent.csv"));
    }

    @Test
    void aDirectoryWithoutFilesHasNothingToLoad() throws Exception {
      // a directory in the area is a source of its files (CopyDirectoryTest); none here
      Path d = Files.createDirectories(acmeArea.resolve("a_directory"));
      NqlException e = fails(acme, copyInto("events", d));
      assertThat(e.sqlState()).isEqualTo("58P01");
      assertThat(e.getMessage())
          .isEqualTo(
              "Cannot load '"
                  + d
                  + "': the directory has no files (names starting with '.' or '_' are skipped)");
    }

    @Test
    void remoteScheme() {
      NqlException e = fails(acme, "COPY INTO company_data.events FROM 's3://bucket/x.csv'");
      assertThat(e.sqlState()).isEqualTo("0A000");
      assertThat(e.getMessage()).contains("s3://bucket/x.csv");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Duplicate names

  @Nested
  class Duplicates {
    @Test
    void company() {
      NqlException e = fails(admin, "CREATE COMPANY acme");
      assertThat(e.sqlState()).isEqualTo("42710");
      assertThat(e.getMessage()).contains("acme");
    }

    @Test
    void user() {
      NqlException e =
          fails(admin, "CREATE USER \"acme_user\" COMPANY globex PASSWORD 'other-pw-1'");
      assertThat(e.sqlState()).isEqualTo("42710");
      assertThat(e.getMessage()).contains("acme_user");
      // The old password still works and the user still belongs to acme.
      try (NqlSession s = engine.login("acme_user", "acme-pw-1".toCharArray())) {
        assertThat(s.companySlug()).isEqualTo("acme");
      }
    }

    @Test
    void dataset() {
      NqlException e = fails(acme, "CREATE DATASET \"events\" (x BIGINT)");
      assertThat(e.sqlState()).isEqualTo("42P07");
      assertThat(e.getMessage()).contains("events");
    }

    @Test
    void datasetNameOfAnotherCompanyIsFree() {
      run(acme, "CREATE DATASET \"purchases\" (x BIGINT)");
      assertThat(datasetId("acme", "purchases")).isNotEqualTo(purchasesId);
      run(acme, "DROP DATASET \"purchases\"");
      assertThat(engine.warehouse().dataset(companyId("acme"), "purchases")).isEmpty();
      assertThat(engine.warehouse().datasetById(companyId("globex"), purchasesId)).isPresent();
    }

    @Test
    void headerNamesThatCollideAfterNormalizationLoadIntoANewDataset() throws Exception {
      Path f = csv("collide.csv", "Name,name,NAME\nx,1,true\ny,2,false\n");
      try (StatementResult r = acme.execute(copyInto("collide", f))) {
        assertThat(r.updateCount()).isEqualTo(2);
      }
      try {
        List<Object[]> rows =
            rows(acme, "SELECT name, name_2, name_3 FROM company_data.collide ORDER BY name");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)[0]).isEqualTo("x");
        assertThat(((Number) rows.get(0)[1]).longValue()).isEqualTo(1L);
        assertThat(rows.get(0)[2]).isEqualTo(true);
        assertThat(rows.get(1)[0]).isEqualTo("y");
        assertThat(((Number) rows.get(1)[1]).longValue()).isEqualTo(2L);
        assertThat(rows.get(1)[2]).isEqualTo(false);
      } finally {
        run(acme, "DROP DATASET \"collide\"");
      }
    }

    @Test
    void headerWithTwoNamesForOneColumnOfAnExistingDataset() throws Exception {
      Path f = csv("two_ids.csv", "ID,id,event_day,qty,name\n3,3,2026-10-03,7,c\n");
      NqlException e = fails(acme, copyInto("events", f));
      assertThat(e.sqlState()).isEqualTo("22P04");
      assertThat(e.getMessage())
          .isEqualTo("Cannot load 'two_ids.csv': two file columns match column 'id'");
    }

    @Test
    void columnTwice() {
      NqlException e = fails(acme, "CREATE DATASET \"twice\" (a BIGINT, b VARCHAR, a DATE)");
      assertThat(e.sqlState()).isEqualTo("42710");
      assertThat(e.getMessage()).contains("twice").contains("'a'");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Table names

  @Nested
  class TableNames {
    @Test
    void unqualified() {
      NqlException e = fails(acme, "SELECT * FROM events");
      assertThat(e.sqlState()).isEqualTo("3F000");
      assertThat(e.getMessage()).contains("events").contains("company_data");
    }

    @Test
    void unqualifiedCopyInto() throws Exception {
      Path f = csv("unq.csv", "id\n5\n");
      NqlException e = fails(acme, "COPY INTO events FROM '" + f + "'");
      assertThat(e.sqlState()).isEqualTo("3F000");
      assertThat(e.getMessage()).contains("events").contains("company_data");
    }

    /**
     * A schema that names no company answers like a table nobody may see: otherwise the error would
     * tell which company slugs exist.
     */
    @Test
    void unknownSchema() {
      NqlException e = fails(acme, "SELECT * FROM nosuch.events");
      assertThat(e.sqlState()).isEqualTo("42P01");
      assertThat(e.getMessage())
          .isEqualTo("Unknown table or insufficient table permissions: nosuch.events");
    }

    @Test
    void unknownTableInOwnSchema() {
      NqlException e = fails(acme, "SELECT * FROM company_data.nosuch");
      assertThat(e.sqlState()).isEqualTo("42P01");
      assertThat(e.getMessage())
          .isEqualTo("Unknown table or insufficient table permissions: company_data.nosuch");
    }

    @Test
    void anotherCompanysDatasetLooksExactlyLikeANonexistentTable() {
      NqlException theirs = fails(acme, "SELECT * FROM globex.purchases");
      NqlException none = fails(acme, "SELECT * FROM globex.nosuch");
      assertThat(theirs.sqlState()).isEqualTo("42P01").isEqualTo(none.sqlState());
      assertThat(theirs.getMessage())
          .isEqualTo("Unknown table or insufficient table permissions: globex.purchases");
      assertThat(none.getMessage())
          .isEqualTo("Unknown table or insufficient table permissions: globex.nosuch");
    }

    @Test
    void anotherCompanysDatasetInASubquery() {
      NqlException e =
          fails(
              acme,
              "SELECT id FROM company_data.events"
                  + " WHERE id IN (SELECT order_id FROM globex.purchases)");
      assertThat(e.sqlState()).isEqualTo("42P01");
      assertThat(e.getMessage())
          .isEqualTo("Unknown table or insufficient table permissions: globex.purchases");
    }

    @Test
    void anotherCompanysDatasetThroughCopyIntoAndDescribe() throws Exception {
      Path f = csv("into_theirs.csv", "order_id,amount\n99,1.00\n");
      NqlException copy = fails(acme, "COPY INTO globex.purchases FROM '" + f + "'");
      assertThat(copy.sqlState()).isEqualTo("42P01");
      assertThat(copy.getMessage())
          .isEqualTo("Unknown table or insufficient table permissions: globex.purchases");
      NqlException drop = fails(acme, "DROP DATASET \"nosuch\"");
      assertThat(drop.sqlState()).isEqualTo("42P01");
      assertThat(drop.getMessage()).contains("nosuch");
    }

    @Test
    void unquotedNumericIdIsASyntaxError() {
      NqlException e = fails(acme, "SELECT * FROM company_data." + eventsId);
      assertThat(e.sqlState()).isEqualTo("42601");
      assertThat(e.getMessage())
          .startsWith("Syntax error at line 1, column 27: unexpected \"." + eventsId + "\"");
    }

    @Test
    void statementEndingTooEarly() {
      NqlException e = fails(acme, "SELECT id FROM company_data.events WHERE");
      assertThat(e.sqlState()).isEqualTo("42601");
      assertThat(e.getMessage()).startsWith("Syntax error").contains("unexpected end of input");
    }

    @Test
    void quotedOwnIdWorks() {
      List<Object[]> rows = rows(acme, "SELECT id FROM company_data.\"" + eventsId + "\"");
      assertThat(rows).hasSize(2);
    }

    @Test
    void quotedIdOfAnotherCompanysDataset() {
      NqlException e = fails(acme, "SELECT * FROM company_data.\"" + purchasesId + "\"");
      assertThat(e.sqlState()).isEqualTo("42P01");
      assertThat(e.getMessage())
          .isEqualTo(
              "Unknown table or insufficient table permissions: company_data.\""
                  + purchasesId
                  + "\"");
    }

    @Test
    void quotedIdOfAnotherCompanysDatasetInCopyIntoDoesNotCreateIt() throws Exception {
      Path f = csv("by_id.csv", "order_id,amount\n99,1.00\n");
      NqlException e =
          fails(acme, "COPY INTO company_data.\"" + purchasesId + "\" FROM '" + f + "'");
      assertThat(e.sqlState()).isEqualTo("42P01");
      assertThat(e.getMessage())
          .isEqualTo(
              "Unknown table or insufficient table permissions: company_data.\""
                  + purchasesId
                  + "\"");
    }

    @Test
    void keywordAsNameWorksQuotedAndIsASyntaxErrorUnquoted() {
      run(acme, "CREATE DATASET \"select\" (id BIGINT, \"from\" VARCHAR)");
      try {
        assertThat(rows(acme, "SELECT COUNT(*) FROM company_data.\"select\""))
            .singleElement()
            .satisfies(r -> assertThat(r[0]).isEqualTo(0L));
        NqlException e = fails(acme, "SELECT * FROM company_data.select");
        assertThat(e.sqlState()).isEqualTo("42601");
        assertThat(e.getMessage())
            .startsWith("Syntax error at line 1, column 28: unexpected \"select\"")
            .contains("double quotes");
      } finally {
        run(acme, "DROP DATASET \"select\"");
      }
      assertThat(engine.warehouse().dataset(companyId("acme"), "select")).isEmpty();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Privileges

  @Nested
  class Privileges {
    @Test
    void createCompanyByNonAdmin() {
      NqlException e = fails(acme, "CREATE COMPANY initech");
      assertThat(e.sqlState()).isEqualTo("42501");
      assertThat(e.getMessage()).contains("CREATE COMPANY").contains("admin");
      assertThat(engine.store().company("initech")).isEmpty();
    }

    @Test
    void createUserByNonAdmin() {
      NqlException e = fails(acme, "CREATE USER \"mallory\" COMPANY acme PASSWORD 'pw-123456'");
      assertThat(e.sqlState()).isEqualTo("42501");
      assertThat(e.getMessage()).contains("CREATE USER").contains("admin");
      assertThat(engine.store().user("mallory")).isEmpty();
    }

    @Test
    void createAdminUserByNonAdmin() {
      NqlException e =
          fails(acme, "CREATE USER \"mallory\" COMPANY acme PASSWORD 'pw-123456' ADMIN");
      assertThat(e.sqlState()).isEqualTo("42501");
      assertThat(engine.store().user("mallory")).isEmpty();
    }

    @Test
    void dropUserByNonAdmin() {
      NqlException e = fails(acme, "DROP USER \"globex_user\"");
      assertThat(e.sqlState()).isEqualTo("42501");
      assertThat(e.getMessage()).contains("DROP USER").contains("admin");
      assertThat(engine.store().user("globex_user")).isPresent();
    }

    @Test
    void unknownCompanyForNewUser() {
      NqlException e = fails(admin, "CREATE USER \"nobody\" COMPANY initech PASSWORD 'pw-123456'");
      assertThat(e.sqlState()).isEqualTo("42704");
      assertThat(e.getMessage()).contains("nobody").contains("initech");
    }

    @Test
    void reservedCompanySlug() {
      NqlException e = fails(admin, "CREATE COMPANY company_data");
      assertThat(e.sqlState()).isEqualTo("22023");
      assertThat(e.getMessage()).contains("company_data");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // COPY INTO a new dataset from a bad file: the dataset must not exist afterwards

  @Nested
  class NewDatasetFromBadFile {
    @Test
    void raggedFile() throws Exception {
      Path f = csv("new_ragged.csv", "a,b\n1,x\n2\n");
      NqlException e = fails(acme, copyInto("fresh_ragged", f));
      assertThat(e.sqlState()).isEqualTo("22P04");
      assertThat(e.getMessage()).contains("'new_ragged.csv'").contains("line 3");
      assertThat(engine.warehouse().dataset(companyId("acme"), "fresh_ragged")).isEmpty();
    }

    @Test
    void brokenQuote() throws Exception {
      StringBuilder b = new StringBuilder("a,b\n");
      for (int i = 0; i < 2000; i++) {
        b.append(i).append(",x\n");
      }
      b.append("2001,\"never closed\n");
      Path f = csv("new_quote.csv", b.toString());
      NqlException e = fails(acme, copyInto("fresh_quote", f));
      assertThat(e.sqlState()).isEqualTo("22P04");
      assertThat(e.getMessage()).contains("'new_quote.csv'").contains("line 2002");
      assertThat(engine.warehouse().dataset(companyId("acme"), "fresh_quote")).isEmpty();
    }

    @Test
    void badJsonLine() throws Exception {
      Path f = csv("new_bad.jsonl", "{\"a\": 1, \"b\": \"x\"}\n{\"a\": 2, \"b\": \n");
      NqlException e = fails(acme, copyInto("fresh_json", f));
      assertThat(e.sqlState()).isEqualTo("22P04");
      assertThat(e.getMessage()).contains("'new_bad.jsonl'").contains("2");
      assertThat(engine.warehouse().dataset(companyId("acme"), "fresh_json")).isEmpty();
    }

    @Test
    void emptyFile() throws Exception {
      Path f = csv("new_empty.csv", "");
      NqlException e = fails(acme, copyInto("fresh_empty", f));
      assertThat(e.sqlState()).isEqualTo("22P04");
      assertThat(e.getMessage()).contains("'new_empty.csv'");
      assertThat(engine.warehouse().dataset(companyId("acme"), "fresh_empty")).isEmpty();
    }

    @Test
    void missingFile() {
      NqlException e = fails(acme, copyInto("fresh_missing", acmeArea.resolve("gone.csv")));
      assertThat(e.sqlState()).isEqualTo("42501");
      assertThat(engine.warehouse().dataset(companyId("acme"), "fresh_missing")).isEmpty();
    }

    @Test
    void numericNameIsNotCreated() throws Exception {
      Path f = csv("numeric_name.csv", "a\n1\n");
      NqlException e = fails(acme, "COPY INTO company_data.\"424242\" FROM '" + f + "'");
      assertThat(e.sqlState()).isEqualTo("42P01");
      assertThat(e.getMessage())
          .isEqualTo("Unknown table or insufficient table permissions: company_data.\"424242\"");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** Runs a statement that must fail; checks the catalog is unchanged and the message is clean. */
  private NqlException fails(NqlSession session, String sql) {
    CatalogState before = CatalogState.of(engine);
    NqlException e =
        catchThrowableOfType(
            NqlException.class,
            () -> {
              try (StatementResult r = session.execute(sql)) {
                while (r.next() != null) {
                  // drain
                }
              }
            });
    assertThat(e).as("statement must fail: %s", sql).isNotNull();
    CatalogState after = CatalogState.of(engine);
    assertThat(after.datasets).as("datasets after %s", sql).isEqualTo(before.datasets);
    assertThat(after.snapshots).as("snapshots after %s", sql).isEqualTo(before.snapshots);
    assertThat(after.files).as("warehouse files after %s", sql).isEqualTo(before.files);
    assertThat(after.principals)
        .as("companies and users after %s", sql)
        .isEqualTo(before.principals);
    assertCleanMessage(e);
    return e;
  }

  static void assertCleanMessage(NqlException e) {
    String m = e.getMessage();
    assertThat(m).as("message").isNotBlank().doesNotContain("\n").doesNotContain("\r");
    assertThat(m)
        .as("message must not leak internals: %s", m)
        .doesNotContain("Exception")
        .doesNotContain("org.apache")
        .doesNotContain("io.nql")
        .doesNotContain("java.")
        .doesNotContain("Internal error");
  }

  private String copyInto(String dataset, Path file) {
    return "COPY INTO company_data." + dataset + " FROM '" + file + "'";
  }

  private Path csv(String name, String content) throws IOException {
    return Files.writeString(acmeArea.resolve(name), content);
  }

  private static void run(NqlSession s, String sql) {
    try (StatementResult r = s.execute(sql)) {
      while (r.isQuery() && r.next() != null) {
        // drain
      }
    }
  }

  private static List<Object[]> rows(NqlSession s, String sql) {
    List<Object[]> out = new ArrayList<>();
    try (StatementResult r = s.execute(sql)) {
      for (Object[] row = r.next(); row != null; row = r.next()) {
        out.add(row);
      }
    }
    return out;
  }

  private long companyId(String slug) {
    return engine.store().company(slug).orElseThrow().id();
  }

  private long datasetId(String slug, String name) {
    return engine.warehouse().dataset(companyId(slug), name).orElseThrow().id();
  }

  /** What a failed statement must not change. */
  record CatalogState(
      Map<String, List<String>> datasets,
      Map<Long, Long> snapshots,
      TreeSet<String> files,
      Map<String, List<String>> principals) {

    static CatalogState of(NqlEngine engine) {
      MetadataStore store = engine.store();
      Map<String, List<String>> datasets = new TreeMap<>();
      Map<Long, Long> snapshots = new TreeMap<>();
      Map<String, List<String>> principals = new TreeMap<>();
      for (Company c : store.companies()) {
        List<String> ds = new ArrayList<>();
        for (Dataset d : engine.warehouse().datasets(c.id())) {
          ds.add(d.id() + ":" + d.name());
          Table t = engine.warehouse().loadTable(d);
          Snapshot s = t.currentSnapshot();
          snapshots.put(d.id(), s == null ? -1L : s.snapshotId());
        }
        datasets.put(c.slug() + "#" + c.id(), ds);
        List<String> users = new ArrayList<>();
        for (User u : store.users(c.id())) {
          users.add(u.id() + ":" + u.name() + (u.admin() ? ":admin" : ""));
        }
        principals.put(c.slug() + "#" + c.id(), users);
      }
      TreeSet<String> files = new TreeSet<>();
      Path data = engine.warehouse().root().resolve("data");
      try (Stream<Path> walk = Files.walk(data)) {
        walk.filter(Files::isRegularFile).forEach(p -> files.add(data.relativize(p).toString()));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return new CatalogState(datasets, snapshots, files, principals);
    }
  }
}
