package io.nql.planner.engine;

import static io.nql.planner.engine.CopyWorld.column;
import static io.nql.planner.engine.CopyWorld.csv;
import static io.nql.planner.engine.CopyWorld.fails;
import static io.nql.planner.engine.CopyWorld.update;
import static io.nql.planner.engine.CopyWorld.value;
import static io.nql.planner.engine.CopyWorld.warnings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nql.planner.error.NqlException;
import io.nql.planner.ingest.LoadedFiles;
import io.nql.planner.result.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Snapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code COPY INTO} from a directory: every selected file of it (CSV, Parquet, JSON lines, in
 * subdirectories) loads as one snapshot, a bad row in any file commits nothing and names the file,
 * PATTERN selects files, a new dataset's schema comes from all files, and the statement reports its
 * progress across files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CopyDirectoryTest {
  @TempDir static Path dir;
  CopyWorld world;
  Path area;

  @BeforeAll
  void setUp() throws Exception {
    world = new CopyWorld(dir);
    area = world.area("acme");
  }

  @AfterAll
  void tearDown() {
    world.close();
  }

  /** 50 CSV files in 5 subdirectories (100 rows each, ids k*1000 …), and files to skip. */
  private Path fiftyCsvFiles(String name) throws Exception {
    Path d = area.resolve(name);
    for (int k = 0; k < 50; k++) {
      csv(d.resolve(String.format("m%d/part-%02d.csv", k / 10, k)), k * 1000L, 100);
    }
    // Hidden files and other writers' markers: loading any of them would fail the statement.
    Files.writeString(d.resolve(".hidden.csv"), "not,a\nvalid\n");
    Files.writeString(d.resolve("_SUCCESS"), "");
    Files.writeString(d.resolve("m0/.part-00.csv.crc"), "\u0000\u0001");
    csv(d.resolve("_temporary/part-99.csv"), 99_000, 1);
    Files.writeString(d.resolve("_temporary/broken.csv"), "id\n\"open");
    return d;
  }

  @Test
  void fiftyCsvAndSomeParquetAndJsonFilesLoadAsOneSnapshot() throws Exception {
    Path d = fiftyCsvFiles("mixed");
    for (int p = 0; p < 2; p++) {
      long first = 900_000 + p * 100;
      parquet(
          d.resolve("extra/p" + p + ".parquet"),
          "SELECT i::BIGINT AS id, 'name ' || i AS name, CAST(i % 100 + 0.25 AS DECIMAL(10,2))"
              + " AS amount FROM range("
              + first
              + ", "
              + (first + 100)
              + ") t(i)");
    }
    for (int j = 0; j < 2; j++) {
      StringBuilder sb = new StringBuilder();
      for (long i = 800_000 + j * 50; i < 800_050 + j * 50; i++) {
        sb.append("{\"id\": ").append(i).append(", \"name\": \"name ").append(i);
        sb.append("\", \"amount\": ").append(i % 100).append(".25}\n");
      }
      Files.writeString(d.resolve("extra/j" + j + ".jsonl"), sb);
    }

    List<StatementWarning> notices =
        warnings(world.acme, "COPY INTO company_data.mixed FROM 'mixed'");

    assertThat(notices)
        .containsExactly(
            new StatementWarning(
                "00000", "Loaded 5300 rows from 54 files into company_data.mixed"));
    assertThat(value(world.acme, "SELECT COUNT(*) FROM company_data.mixed")).isEqualTo(5300L);
    assertThat(value(world.acme, "SELECT COUNT(DISTINCT id) FROM company_data.mixed"))
        .isEqualTo(5300L);
    long csvIds = 0;
    for (int k = 0; k < 50; k++) {
      csvIds += 100L * k * 1000 + 4950;
    }
    long expectedSum = csvIds + (900_000L * 200 + 19_900) + (800_000L * 100 + 4950);
    assertThat(value(world.acme, "SELECT SUM(id) FROM company_data.mixed")).isEqualTo(expectedSum);
    assertThat(
            column(
                world.acme,
                "SELECT name || '|' || CAST(amount AS VARCHAR) FROM company_data.mixed"
                    + " WHERE id IN (37042, 900142, 800077) ORDER BY id"))
        .containsExactly("name 37042|42.25", "name 800077|77.25", "name 900142|42.25");
    // the types hold every file's values: DECIMAL(4,2) from the text files, (10,2) from Parquet
    assertThat(world.table("mixed").schema().findField("amount").type().toString())
        .isEqualTo("decimal(10, 2)");
    List<Snapshot> snapshots = world.snapshots("mixed");
    assertThat(snapshots).hasSize(1);
    JsonNode record =
        new ObjectMapper().readTree(snapshots.get(0).summary().get(LoadedFiles.PROPERTY));
    List<String> paths = new ArrayList<>();
    record.forEach(e -> paths.add(e.get("path").asText()));
    assertThat(paths).hasSize(54).contains("mixed/m3/part-37.csv", "mixed/extra/p1.parquet");
    assertThat(paths).noneMatch(p -> p.contains("/_") || p.contains("/."));
    assertThat(record.get(0).get("size").asLong())
        .isEqualTo(Files.size(area.resolve(record.get(0).get("path").asText())));
  }

  @Test
  void aBadRowInFile37CommitsNothingAndNamesTheFileAndLine() throws Exception {
    Path d = fiftyCsvFiles("bad");
    Path file37 = d.resolve("m3/part-37.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(file37));
    lines.set(51, "37050,name 37050,lots");
    Files.write(file37, lines);
    Path file45 = d.resolve("m4/part-45.csv");
    Files.writeString(file45, Files.readString(file45).replace("45003,", "forty-five,"));
    update(world.acme, "CREATE DATASET \"bad\" (id BIGINT, name VARCHAR, amount DECIMAL(6,2))");
    update(world.acme, "COPY INTO company_data.bad FROM 'bad/m0/part-00.csv'");
    List<Snapshot> before = world.snapshots("bad");
    List<Path> filesBefore = world.dataFiles();

    // Twice: whichever thread reads which file when, the first bad file in order is named.
    for (int attempt = 0; attempt < 2; attempt++) {
      NqlException e = fails(world.acme, "COPY INTO company_data.bad FROM 'bad'");
      assertThat(e.sqlState()).isEqualTo("22P02");
      assertThat(e.getMessage())
          .isEqualTo(
              "Cannot load 'm3/part-37.csv': line 52, column 'amount': 'lots' is not a valid"
                  + " DECIMAL(6,2)");
    }
    assertThat(world.snapshots("bad")).isEqualTo(before);
    assertThat(value(world.acme, "SELECT COUNT(*) FROM company_data.bad")).isEqualTo(100L);
    assertThat(world.dataFiles()).as("every data file written was deleted").isEqualTo(filesBefore);
  }

  @Test
  void aMalformedFileFailsTheSchemaOfANewDatasetAndCreatesNothing() throws Exception {
    Path d = fiftyCsvFiles("malformed");
    Files.writeString(d.resolve("m3/part-37.csv"), "id,name,amount\n1,a,2\n3,b\n");
    List<Path> filesBefore = world.dataFiles();

    NqlException e = fails(world.acme, "COPY INTO company_data.malformed FROM 'malformed'");

    assertThat(e.sqlState()).isEqualTo("22P04");
    assertThat(e.getMessage())
        .isEqualTo("Cannot load 'm3/part-37.csv': line 3: expected 3 fields, found 2");
    assertThat(world.table("malformed")).isNull();
    assertThat(world.dataFiles()).isEqualTo(filesBefore);
  }

  @Test
  void filesWhoseColumnsDifferCannotMakeOneSchema() throws Exception {
    csv(area.resolve("differ/a.csv"), 1, 3);
    Files.writeString(area.resolve("differ/b.csv"), "id,name,colour\n9,x,red\n");

    NqlException e = fails(world.acme, "COPY INTO company_data.differ FROM 'differ'");

    assertThat(e.sqlState()).isEqualTo("42703");
    assertThat(e.getMessage())
        .startsWith(
            "Cannot load 'b.csv': its columns differ from those of 'a.csv' (not in 'a.csv':"
                + " 'colour'; missing: 'amount')");
    assertThat(world.table("differ")).isNull();
    // into a dataset that exists, the same files load: a missing column is NULL
    update(
        world.acme,
        "CREATE DATASET \"differ\" (id BIGINT, name VARCHAR, colour VARCHAR," + " amount DOUBLE)");
    assertThat(update(world.acme, "COPY INTO company_data.differ FROM 'differ'")).isEqualTo(4);
  }

  @Test
  void patternSelectsFilesByNameAtAnyDepthOrByPath() throws Exception {
    Path d = area.resolve("pick");
    csv(d.resolve("a.csv"), 1, 1);
    csv(d.resolve("sub/b.csv"), 2, 2);
    Files.writeString(d.resolve("sub/c.tsv"), "id\tname\tamount\n10\tten\t1.5\n");
    Files.writeString(d.resolve("notes.txt"), "not data");
    update(world.acme, "CREATE DATASET \"pick\" (id BIGINT, name VARCHAR, amount DOUBLE)");

    NqlException all = fails(world.acme, "COPY INTO company_data.pick FROM 'pick'");
    assertThat(all.getMessage())
        .isEqualTo(
            "Cannot infer the format of 'notes.txt': name the format with FORMAT ="
                + " 'csv'|'parquet'|'json'");
    assertThat(update(world.acme, "COPY INTO company_data.pick FROM 'pick' PATTERN = '*.csv'"))
        .isEqualTo(3);
    assertThat(update(world.acme, "COPY INTO company_data.pick FROM 'pick' PATTERN = 'sub/*'"))
        .isEqualTo(3);
    assertThat(column(world.acme, "SELECT id FROM company_data.pick ORDER BY id"))
        .containsExactly("1", "2", "2", "3", "3", "10");

    NqlException none =
        fails(world.acme, "COPY INTO company_data.pick FROM 'pick' PATTERN = '*.parquet'");
    assertThat(none.sqlState()).isEqualTo("58P01");
    assertThat(none.getMessage())
        .isEqualTo(
            "Cannot load 'pick': no file in the directory matches PATTERN '*.parquet' (names"
                + " starting with '.' or '_' are skipped)");
    NqlException onAFile =
        fails(world.acme, "COPY INTO company_data.pick FROM 'pick/a.csv' PATTERN = '*.csv'");
    assertThat(onAFile.sqlState()).isEqualTo("22023");
    assertThat(
            fails(world.acme, "COPY INTO company_data.pick FROM 'pick' PATTERN = '[a'")
                .getMessage())
        .startsWith("Cannot use PATTERN '[a': not a valid glob");
    assertThat(value(world.acme, "SELECT COUNT(*) FROM company_data.pick")).isEqualTo(6L);
  }

  @Test
  void progressCountsBytesAndFilesOnTheStatementsThread() throws Exception {
    Path d = area.resolve("progress");
    long sum = 0;
    for (int k = 0; k < 12; k++) {
      sum += Files.size(csv(d.resolve("f" + k + ".csv"), k * 10_000L, 2000 + k));
    }
    long bytes = sum;
    List<long[]> reports = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    world.acme.setProgressListener(
        new ProgressListener() {
          @Override
          public void progress(long done, long total) {
            throw new AssertionError("a directory load reports files too");
          }

          @Override
          public void progress(long done, long total, int filesDone, int filesTotal) {
            reports.add(new long[] {done, total, filesDone, filesTotal});
            threads.add(Thread.currentThread());
          }
        });
    try {
      update(world.acme, "COPY INTO company_data.progress FROM 'progress'");
    } finally {
      world.acme.setProgressListener(null);
    }

    assertThat(threads).containsOnly(Thread.currentThread());
    long[] last = reports.get(reports.size() - 1);
    // a new dataset: the files are read twice, for the schema and for the rows
    assertThat(last).containsExactly(2 * bytes, 2 * bytes, 12, 12);
    for (int i = 1; i < reports.size(); i++) {
      assertThat(reports.get(i)[0]).isGreaterThanOrEqualTo(reports.get(i - 1)[0]);
      assertThat(reports.get(i)[2]).isGreaterThanOrEqualTo(reports.get(i - 1)[2]);
      assertThat(reports.get(i)[1]).isEqualTo(2 * bytes);
    }
    assertThat(reports).anyMatch(r -> r[0] == bytes && r[2] == 0);
  }

  @Test
  void aDirectoryWithoutFilesIsAnErrorUnlessIncremental() throws Exception {
    Files.createDirectories(area.resolve("empty/_logs"));
    Files.writeString(area.resolve("empty/_logs/x.csv"), "id\n1\n");
    NqlException e = fails(world.acme, "COPY INTO company_data.empty FROM 'empty'");
    assertThat(e.sqlState()).isEqualTo("58P01");
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot load 'empty': the directory has no files (names starting with '.' or '_' are"
                + " skipped)");
    update(world.acme, "CREATE DATASET \"empty\" (id BIGINT)");
    try (StatementResult r =
        world.acme.execute("COPY INTO company_data.empty FROM 'empty' INCREMENTAL = TRUE")) {
      assertThat(r.updateCount()).isZero();
      assertThat(r.warnings())
          .containsExactly(
              new StatementWarning(
                  "01N02", "No new files to load from 'empty': the directory has no files"));
    }
    assertThat(world.snapshots("empty")).isEmpty();
  }

  @Test
  void aCancelStopsADirectoryLoadOnEveryThreadAndNothingIsLoaded() throws Exception {
    Path d = area.resolve("big");
    for (int k = 0; k < 6; k++) {
      csv(d.resolve("big-" + k + ".csv"), k * 1_000_000L, 250_000);
    }
    update(world.acme, "CREATE DATASET \"big\" (id BIGINT, name VARCHAR, amount DOUBLE)");
    List<Path> filesBefore = world.dataFiles();
    CountDownLatch reading = new CountDownLatch(1);
    world.acme.setProgressListener(
        (done, total) -> {
          if (done > 0) {
            reading.countDown();
          }
        });
    CompletableFuture<Throwable> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                update(world.acme, "COPY INTO company_data.big FROM 'big'");
                return null;
              } catch (Throwable t) {
                return t;
              }
            });
    try {
      assertThat(reading.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(run).as("still loading before the cancel").isNotDone();
      long cancelled = System.nanoTime();
      while (!run.isDone()) {
        world.acme.cancel();
        Thread.sleep(50);
        assertThat(Duration.ofNanos(System.nanoTime() - cancelled))
            .isLessThan(StatementCancelTest.BOUND);
      }
    } finally {
      world.acme.setProgressListener(null);
    }
    assertThat(run.get()).isInstanceOf(NqlException.class);
    assertThat(((NqlException) run.get()).sqlState()).isEqualTo("57014");
    assertThat(value(world.acme, "SELECT COUNT(*) FROM company_data.big")).isEqualTo(0L);
    assertThat(world.snapshots("big")).isEmpty();
    assertThat(world.dataFiles()).isEqualTo(filesBefore);
    assertThat(Thread.getAllStackTraces().keySet())
        .as("no reading thread outlives the statement")
        .noneMatch(t -> t.getName().startsWith("nql-copy-"));
  }

  /** Writes a Parquet file with DuckDB (no Iceberg field ids). */
  private static void parquet(Path file, String select) throws Exception {
    Files.createDirectories(file.getParent());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("COPY (" + select + ") TO '" + file + "' (FORMAT parquet)");
    }
  }
}
