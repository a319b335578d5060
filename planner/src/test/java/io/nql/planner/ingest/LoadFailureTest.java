package io.nql.planner.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.result.ProgressListener;
import io.nql.planner.testing.IcebergTestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every failure leaves the table exactly as it was: same snapshot, no data files left behind. */
class LoadFailureTest {
  @TempDir Path dir;
  Table table;
  Long snapshotBefore;

  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "day", Types.DateType.get()),
          Types.NestedField.optional(3, "qty", Types.IntegerType.get()),
          Types.NestedField.optional(4, "name", Types.StringType.get()));

  @BeforeEach
  void setUp() throws Exception {
    table =
        IcebergTestTables.create(
            dir, "t", SCHEMA, PartitionSpec.builderFor(SCHEMA).identity("day").build());
    Path seed = dir.resolve("seed.csv");
    Files.writeString(seed, "id,day,qty,name\n1,2026-10-01,1,a\n");
    CopyLoader.load(table, seed, CopyOptions.defaults(), ProgressListener.NONE);
    snapshotBefore = IcebergTestTables.snapshotId(table);
    assertThat(snapshotBefore).isNotNull();
    assertThat(IcebergTestTables.dataFilesOnDisk(table)).hasSize(1);
  }

  /** Many good rows over several partitions (so files are open) and then {@code tail}. */
  private Path fileWithTail(String name, String tail) throws Exception {
    StringBuilder sb = new StringBuilder("id,day,qty,name\n");
    for (int i = 0; i < 3000; i++) {
      sb.append(i).append(",2026-10-0").append(1 + i % 5).append(',').append(i).append(",n\n");
    }
    sb.append(tail);
    Path file = dir.resolve(name);
    Files.writeString(file, sb.toString());
    return file;
  }

  private NqlException loadFails(Path file, CopyOptions options) {
    NqlException e =
        catchThrowableOfType(
            NqlException.class, () -> CopyLoader.load(table, file, options, ProgressListener.NONE));
    assertThat(e).as("load must fail").isNotNull();
    assertThat(IcebergTestTables.snapshotId(table)).isEqualTo(snapshotBefore);
    assertThat(IcebergTestTables.dataFilesOnDisk(table)).hasSize(1);
    assertThat(IcebergTestTables.rows(table, "id")).hasSize(1);
    return e;
  }

  @Test
  void wrongTypedValueAtLineN() throws Exception {
    Path file = fileWithTail("bad.csv", "5000,2026-10-02,lots,x\n");
    NqlException e = loadFails(file, CopyOptions.defaults());
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TEXT_REPRESENTATION);
    assertThat(e.sqlState()).isEqualTo("22P02");
    assertThat(e.getMessage())
        .isEqualTo("Cannot load 'bad.csv': line 3002, column 'qty': 'lots' is not a valid INTEGER");
  }

  @Test
  void outOfRangeValue() throws Exception {
    Path file = fileWithTail("big.csv", "5000,2026-10-02,99999999999,x\n");
    NqlException e = loadFails(file, CopyOptions.defaults());
    assertThat(e.code()).isEqualTo(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE);
    assertThat(e.sqlState()).isEqualTo("22003");
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot load 'big.csv': line 3002, column 'qty': '99999999999' is out of range for"
                + " INTEGER");
  }

  @Test
  void badDate() throws Exception {
    NqlException e =
        loadFails(fileWithTail("d.csv", "5000,2026-13-45,1,x\n"), CopyOptions.defaults());
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot load 'd.csv': line 3002, column 'day': '2026-13-45' is not a valid DATE");
  }

  @Test
  void nullInRequiredColumn() throws Exception {
    NqlException e = loadFails(fileWithTail("n.csv", ",2026-10-02,1,x\n"), CopyOptions.defaults());
    assertThat(e.code()).isEqualTo(ErrorCode.DATA_EXCEPTION);
    assertThat(e.sqlState()).isEqualTo("22000");
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot load 'n.csv': line 3002, column 'id': NULL is not allowed in a required"
                + " column");
  }

  @Test
  void raggedRow() throws Exception {
    NqlException e = loadFails(fileWithTail("r.csv", "5000,2026-10-02\n"), CopyOptions.defaults());
    assertThat(e.code()).isEqualTo(ErrorCode.BAD_COPY_FILE_FORMAT);
    assertThat(e.sqlState()).isEqualTo("22P04");
    assertThat(e.getMessage())
        .isEqualTo("Cannot load 'r.csv': line 3002: expected 4 fields, found 2");
  }

  @Test
  void unterminatedQuote() throws Exception {
    NqlException e =
        loadFails(
            fileWithTail("q.csv", "5000,2026-10-02,1,\"open\n5001,2026-10-02,1,x\n"),
            CopyOptions.defaults());
    assertThat(e.code()).isEqualTo(ErrorCode.BAD_COPY_FILE_FORMAT);
    assertThat(e.getMessage())
        .isEqualTo("Cannot load 'q.csv': line 3002: a quoted field is not closed");
  }

  @Test
  void textAfterClosingQuote() throws Exception {
    NqlException e =
        loadFails(fileWithTail("q2.csv", "5000,2026-10-02,1,\"a\"b\n"), CopyOptions.defaults());
    assertThat(e.code()).isEqualTo(ErrorCode.BAD_COPY_FILE_FORMAT);
    assertThat(e.getMessage())
        .isEqualTo("Cannot load 'q2.csv': line 3002: unexpected character after a quoted field");
  }

  @Test
  void unknownFileColumns() throws Exception {
    Path file = dir.resolve("cols.csv");
    Files.writeString(file, "id,day,colour,size\n1,2026-10-01,red,3\n");
    NqlException e = loadFails(file, CopyOptions.defaults());
    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_COLUMN);
    assertThat(e.getMessage())
        .isEqualTo("Cannot load 'cols.csv': columns 'colour', 'size' are not in table 't'");
  }

  @Test
  void requiredColumnMissingFromFile() throws Exception {
    Path file = dir.resolve("noid.csv");
    Files.writeString(file, "day,name\n2026-10-01,x\n");
    NqlException e = loadFails(file, CopyOptions.defaults());
    assertThat(e.code()).isEqualTo(ErrorCode.DATA_EXCEPTION);
    assertThat(e.getMessage())
        .isEqualTo("Cannot load 'noid.csv': required column 'id' is missing from the file");
  }

  @Test
  void badJsonLine() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      sb.append("{\"id\": ").append(i).append(", \"day\": \"2026-10-0").append(1 + i % 3);
      sb.append("\"}\n");
    }
    sb.append("{\"id\": 1, \"day\": \n");
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(file, sb.toString());
    NqlException e = loadFails(file, CopyOptions.defaults());
    assertThat(e.code()).isEqualTo(ErrorCode.BAD_COPY_FILE_FORMAT);
    assertThat(e.getMessage()).isEqualTo("Cannot load 'bad.jsonl': line 2001: invalid JSON");
  }

  @Test
  void jsonWrongTypeAndUnknownKey() throws Exception {
    Path file = dir.resolve("w.json");
    Files.writeString(file, "{\"id\": 7, \"qty\": 1.5}\n");
    NqlException e = loadFails(file, CopyOptions.defaults());
    assertThat(e.getMessage())
        .isEqualTo("Cannot load 'w.json': line 1, column 'qty': '1.5' is not a valid INTEGER");
    Path unknown = dir.resolve("u.json");
    Files.writeString(unknown, "{\"id\": 7}\n\n{\"id\": 8, \"color\": \"red\"}\n");
    NqlException e2 = loadFails(unknown, CopyOptions.defaults());
    assertThat(e2.code()).isEqualTo(ErrorCode.UNKNOWN_COLUMN);
    assertThat(e2.getMessage())
        .isEqualTo("Cannot load 'u.json': line 3: key 'color' is not in table 't'");
  }

  @Test
  void unknownExtensionNeedsFormat() throws Exception {
    Path file = dir.resolve("data.txt");
    Files.writeString(file, "id\n1\n");
    NqlException e = loadFails(file, CopyOptions.defaults());
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot infer the format of 'data.txt': name the format with FORMAT ="
                + " 'csv'|'parquet'|'json'");
    CopyLoader.load(
        table, file, CopyOptions.defaults().withFormat(CopyFormat.CSV), ProgressListener.NONE);
    assertThat(IcebergTestTables.rows(table, "id")).hasSize(2);
  }

  @Test
  void missingFileAndOutsidePathThroughRoots() throws Exception {
    Path root = Files.createDirectories(dir.resolve("ingest"));
    Files.createDirectories(root.resolve("acme"));
    IngestRoots roots = IngestRoots.of(root);
    NqlException missing =
        catchThrowableOfType(NqlException.class, () -> roots.resolve("acme", "nope.csv"));
    assertThat(missing.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(missing.getMessage())
        .isEqualTo("Cannot read 'nope.csv': not a file in your company's ingest area");
    NqlException outside =
        catchThrowableOfType(NqlException.class, () -> roots.resolve("acme", "../../seed.csv"));
    assertThat(outside.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(outside.getMessage())
        .isEqualTo(missing.getMessage().replace("nope.csv", "../../seed.csv"));
    assertThat(IcebergTestTables.snapshotId(table)).isEqualTo(snapshotBefore);
  }
}
