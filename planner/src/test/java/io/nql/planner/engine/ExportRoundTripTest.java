package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.ingest.RecordWriter;
import io.nql.planner.store.Company;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * EXPORT writes what {@code SELECT *} reads: a dataset of every column type the engine reads, with
 * NULLs, extremes and awkward strings, exported as Parquet (read back with Iceberg's Parquet reader
 * and with COPY INTO) and as CSV (loaded back with COPY INTO), compares equal value for value.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportRoundTripTest {
  @TempDir static Path dir;

  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "b", Types.BooleanType.get()),
          Types.NestedField.optional(3, "i", Types.IntegerType.get()),
          Types.NestedField.optional(4, "r", Types.FloatType.get()),
          Types.NestedField.optional(5, "d", Types.DoubleType.get()),
          Types.NestedField.optional(6, "m", Types.DecimalType.of(12, 2)),
          Types.NestedField.optional(7, "big", Types.DecimalType.of(38, 10)),
          Types.NestedField.optional(8, "s", Types.StringType.get()),
          Types.NestedField.optional(9, "dt", Types.DateType.get()),
          Types.NestedField.optional(10, "t", Types.TimeType.get()),
          Types.NestedField.optional(11, "ts", Types.TimestampType.withoutZone()),
          Types.NestedField.optional(12, "tz", Types.TimestampType.withZone()),
          Types.NestedField.optional(13, "u", Types.UUIDType.get()),
          Types.NestedField.optional(14, "bin", Types.BinaryType.get()));

  /** Strings a CSV writer must quote or keep apart from NULL, and text beyond ASCII. */
  private static final List<String> AWKWARD =
      List.of(
          "a,b",
          "say \"hi\"",
          "\"",
          "line1\r\nline2\nline3\rend",
          "",
          " padded ",
          "NULL",
          "\\N",
          "日本語 émoji 🎉",
          "tab\there",
          "'single'");

  private NqlEngine engine;
  private NqlSession acme;
  private Path exportArea;
  private Path ingestArea;

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = Files.createDirectories(dir.resolve("ingest"));
    ingestArea = Files.createDirectories(ingest.resolve("acme"));
    Path export = Files.createDirectories(dir.resolve("export"));
    exportArea = Files.createDirectories(export.resolve("acme"));
    engine =
        NqlEngine.open(
            new EngineConfig(
                dir.resolve("wh"), null, null, null, List.of(ingest), List.of(export), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      admin.execute("CREATE COMPANY acme").close();
      admin.execute("CREATE USER \"acme_user\" COMPANY acme PASSWORD 'pw'").close();
    }
    acme = engine.trusted("acme_user");
    Company company = engine.store().company("acme").orElseThrow();
    Table table =
        engine
            .warehouse()
            .loadTable(
                engine
                    .warehouse()
                    .createDataset(company, "every_type", SCHEMA, PartitionSpec.unpartitioned()));
    RecordWriter.appendAll(table, rows());
    engine.dataChanged();
  }

  @AfterAll
  void tearDown() {
    acme.close();
    engine.close();
  }

  private static List<Record> rows() {
    List<Record> rows = new ArrayList<>();
    rows.add(
        row(
            1,
            true,
            42,
            1.5f,
            -2.25e-7,
            new BigDecimal("1234567890.12"),
            new BigDecimal("9999999999999999999999999999.9999999999"),
            "plain",
            LocalDate.of(2026, 1, 31),
            LocalTime.of(13, 45, 0, 123_000_000),
            LocalDateTime.of(2026, 1, 31, 13, 45, 7, 123_456_000),
            OffsetDateTime.of(2026, 1, 31, 23, 59, 59, 999_999_000, ZoneOffset.UTC),
            UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
            new byte[] {0, (byte) 0xff, 0x10, ','}));
    rows.add(row(2, null, null, null, null, null, null, null, null, null, null, null, null, null));
    rows.add(
        row(
            3,
            false,
            Integer.MIN_VALUE,
            Float.NaN,
            Double.NEGATIVE_INFINITY,
            new BigDecimal("-0.01"),
            new BigDecimal("-0.0000000001"),
            "x",
            LocalDate.of(1, 1, 1),
            LocalTime.MIDNIGHT,
            LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000),
            OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 1_000, ZoneOffset.UTC),
            new UUID(0, 0),
            new byte[0]));
    rows.add(
        row(
            4,
            true,
            Integer.MAX_VALUE,
            Float.POSITIVE_INFINITY,
            Double.MAX_VALUE,
            new BigDecimal("0.00"),
            BigDecimal.ZERO.setScale(10),
            "y",
            LocalDate.of(9999, 12, 31),
            LocalTime.of(23, 59, 59, 999_000_000),
            LocalDateTime.of(2026, 6, 1, 0, 0),
            OffsetDateTime.of(2026, 6, 1, 0, 0, 0, 0, ZoneOffset.UTC),
            UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff"),
            "x".getBytes(StandardCharsets.UTF_8)));
    long id = 10;
    for (String s : AWKWARD) {
      rows.add(
          row(id++, null, null, null, null, null, null, s, null, null, null, null, null, null));
    }
    return rows;
  }

  private static Record row(long id, Object... values) {
    GenericRecord r = GenericRecord.create(SCHEMA);
    r.set(0, id);
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      r.set(i + 1, v instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : v);
    }
    return r;
  }

  @Test
  void parquetKeepsTheSchemaAndEveryValue() throws Exception {
    List<Object> answer = single(acme, "EXPORT company_data.every_type TO 'every.parquet'");
    Path file = exportArea.resolve("every.parquet");
    assertThat(answer).containsExactly(15L, Files.size(file), file.toRealPath().toString());
    org.apache.parquet.schema.MessageType footer;
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      footer = reader.getFooter().getFileMetaData().getSchema();
      assertThat(reader.getFooter().getBlocks().get(0).getColumns().get(0).getCodec())
          .isEqualTo(org.apache.parquet.hadoop.metadata.CompressionCodecName.ZSTD);
    }
    // Iceberg writes a uuid as 16 fixed bytes annotated UUID; its converter reads back fixed[16]
    assertThat(footer.getType("u").getLogicalTypeAnnotation())
        .isEqualTo(org.apache.parquet.schema.LogicalTypeAnnotation.uuidType());
    List<Types.NestedField> expected = new ArrayList<>(SCHEMA.columns());
    expected.set(12, Types.NestedField.optional(13, "u", Types.FixedType.ofLength(16)));
    assertThat(ParquetSchemaUtil.convert(footer).asStruct())
        .isEqualTo(new Schema(expected).asStruct());
    List<String> read = new ArrayList<>();
    try (CloseableIterable<Record> records =
        Parquet.read(org.apache.iceberg.Files.localInput(file.toFile()))
            .project(SCHEMA)
            .createReaderFunc(s -> GenericParquetReaders.buildReader(SCHEMA, s))
            .build()) {
      for (Record r : records) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
          values.add(r.get(i));
        }
        read.add(exact(values));
      }
    }
    assertThat(read).isEqualTo(selectAll("company_data.every_type"));
    assertThat(leftovers()).isEmpty();
  }

  /** Every column but the uuid one: COPY INTO does not load Parquet uuid columns (0A000). */
  @Test
  void parquetLoadsBackWithCopyInto() throws Exception {
    String columns = "id, b, i, r, d, m, big, s, dt, t, ts, tz, bin";
    single(acme, "EXPORT (SELECT " + columns + " FROM company_data.every_type) TO 'back.parquet'");
    Files.copy(exportArea.resolve("back.parquet"), ingestArea.resolve("back.parquet"));
    try (StatementResult r =
        acme.execute("COPY INTO company_data.every_back FROM 'back.parquet'")) {
      assertThat(r.updateCount()).isEqualTo(15);
    }
    assertThat(selectAll("company_data.every_back"))
        .isEqualTo(
            sortedById(rawRows(acme, "SELECT " + columns + " FROM company_data.every_type")));
  }

  /**
   * CSV loaded back into a dataset of the same columns gives the same rows: NULL and the empty
   * string stay apart, quoted commas, quotes and line breaks survive, decimals and timestamps are
   * exact. Binary has no text form COPY INTO reads: it is loaded as text and compared with {@code
   * \x} and the bytes in hex.
   */
  @Test
  void csvLoadsBackWithCopyIntoValueForValue() throws Exception {
    List<Object> answer = single(acme, "EXPORT company_data.every_type TO 'every.csv'");
    assertThat(answer.get(0)).isEqualTo(15L);
    Files.copy(exportArea.resolve("every.csv"), ingestArea.resolve("every.csv"));
    List<Types.NestedField> back = new ArrayList<>(SCHEMA.columns());
    back.set(13, Types.NestedField.optional(14, "bin", Types.StringType.get()));
    engine
        .warehouse()
        .createDataset(
            engine.store().company("acme").orElseThrow(),
            "csv_back",
            new Schema(back),
            PartitionSpec.unpartitioned());
    engine.dataChanged();
    try (StatementResult r = acme.execute("COPY INTO company_data.csv_back FROM 'every.csv'")) {
      assertThat(r.updateCount()).isEqualTo(15);
    }
    List<List<Object>> expected = rawRows(acme, "SELECT * FROM company_data.every_type");
    for (List<Object> row : expected) {
      Object bin = row.get(13);
      row.set(13, bin == null ? null : "\\x" + HexFormat.of().formatHex((byte[]) bin));
    }
    assertThat(selectAll("company_data.csv_back")).isEqualTo(sortedById(expected));
  }

  /** The text itself, as RFC 4180 and the documented rendering say it must look. */
  @Test
  void csvTextQuotesOnlyWhatItMustAndTellsNullFromEmpty() throws Exception {
    single(
        acme,
        "EXPORT (SELECT id, s FROM company_data.every_type WHERE id IN (2, 10, 11, 12, 13, 14)"
            + " ORDER BY id) TO 'strings.csv'");
    String text = Files.readString(exportArea.resolve("strings.csv"), StandardCharsets.UTF_8);
    assertThat(text)
        .isEqualTo(
            "id,s\r\n"
                + "2,\r\n"
                + "10,\"a,b\"\r\n"
                + "11,\"say \"\"hi\"\"\"\r\n"
                + "12,\"\"\"\"\r\n"
                + "13,\"line1\r\nline2\nline3\rend\"\r\n"
                + "14,\"\"\r\n");
    single(
        acme,
        "EXPORT (SELECT m, big, dt, t, ts, tz, u, bin FROM company_data.every_type WHERE id = 1)"
            + " TO 'values.csv' HEADER = FALSE");
    assertThat(Files.readString(exportArea.resolve("values.csv")))
        .isEqualTo(
            "1234567890.12,9999999999999999999999999999.9999999999,2026-01-31,13:45:00.123,"
                + "2026-01-31T13:45:07.123456,2026-01-31T23:59:59.999999Z,"
                + "123e4567-e89b-12d3-a456-426614174000,\\x00ff102c\r\n");
  }

  @Test
  void aQueryExportKeepsTheQuerysRowsAndTypes() throws Exception {
    String query =
        "SELECT id, s, m * 2 AS doubled, CAST(ts AS DATE) AS day FROM company_data.every_type"
            + " WHERE id < 5";
    List<Object> answer = single(acme, "EXPORT (" + query + ") TO 'q.parquet'");
    assertThat(answer.get(0)).isEqualTo(4L);
    Path file = exportArea.resolve("q.parquet");
    Schema written;
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      written = ParquetSchemaUtil.convert(reader.getFooter().getFileMetaData().getSchema());
    }
    io.nql.planner.result.ResultColumn doubled;
    try (StatementResult r = acme.execute(query)) {
      doubled = r.columns().get(2);
    }
    assertThat(written.columns().stream().map(f -> f.name() + " " + f.type()).toList())
        .containsExactly(
            "id long",
            "s string",
            "doubled decimal(" + doubled.precision() + ", " + doubled.scale() + ")",
            "day date");
    List<String> read = new ArrayList<>();
    try (CloseableIterable<Record> records =
        Parquet.read(org.apache.iceberg.Files.localInput(file.toFile()))
            .project(written)
            .createReaderFunc(s -> GenericParquetReaders.buildReader(written, s))
            .build()) {
      for (Record r : records) {
        read.add(exact(java.util.Arrays.asList(r.get(0), r.get(1), r.get(2), r.get(3))));
      }
    }
    List<String> expected = new ArrayList<>();
    for (List<Object> row : rawRows(acme, query)) {
      expected.add(exact(row));
    }
    assertThat(read).containsExactlyInAnyOrderElementsOf(expected);
  }

  /**
   * {@code SELECT *} of a table, ordered by id here: a plain scan runs on the vector path, which
   * reads timestamps with their microseconds (the row engine of an ORDER BY has milliseconds).
   */
  private List<String> selectAll(String table) {
    return sortedById(rawRows(acme, "SELECT * FROM " + table));
  }

  private static List<String> sortedById(List<List<Object>> rows) {
    return rows.stream()
        .sorted(java.util.Comparator.comparing(r -> (Long) r.get(0)))
        .map(ExportRoundTripTest::exact)
        .toList();
  }

  /** Files left in the export area that are not a finished export (temporary files). */
  private List<Path> leftovers() throws Exception {
    try (Stream<Path> files = Files.list(exportArea)) {
      return files.filter(p -> p.getFileName().toString().startsWith(".")).toList();
    }
  }

  /** One exact text per value, whatever the Java type that carries it. */
  static String exact(List<Object> row) {
    StringBuilder b = new StringBuilder();
    for (Object v : row) {
      b.append(exactValue(v)).append(" | ");
    }
    return b.toString();
  }

  private static String exactValue(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      v = bytes;
    }
    if (v instanceof byte[] bytes) {
      return "X'" + HexFormat.of().formatHex(bytes) + "'";
    }
    if (v instanceof OffsetDateTime t) {
      return t.toInstant().toString();
    }
    if (v instanceof Float f) {
      return "float " + f;
    }
    if (v instanceof Double d) {
      return "double " + d;
    }
    if (v instanceof String || v instanceof UUID) {
      return "'" + v + "'"; // a query reads a UUID column as VARCHAR(36)
    }
    return v.getClass().getSimpleName().replace("Integer", "Int") + " " + v;
  }

  static List<List<Object>> rawRows(NqlSession session, String sql) {
    List<List<Object>> rows = new ArrayList<>();
    try (StatementResult r = session.execute(sql)) {
      for (Object[] row; (row = r.next()) != null; ) {
        rows.add(new ArrayList<>(java.util.Arrays.asList(row)));
      }
    }
    return rows;
  }

  static List<Object> single(NqlSession session, String sql) {
    List<List<Object>> rows = rawRows(session, sql);
    assertThat(rows).as(sql).hasSize(1);
    return rows.get(0);
  }
}
