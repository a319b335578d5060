package io.nql.planner.vector;

import io.nql.planner.catalog.CallerSchemas;
import io.nql.planner.catalog.DatasetHandle;
import io.nql.planner.testing.IcebergTestTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/**
 * A partitioned Iceberg table of every type the vector path reads, written in several files with
 * small row groups and pages (dictionary and plain pages), whose schema then evolves: a column is
 * added (NULL in the older files) and one renamed.
 */
final class VectorTestData {
  static final long COMPANY = 1;
  static final String[] WORDS = {
    "alpha", "Zoë", "東京", "München", "emoji 😀", "a\uE000", "a😀", "", "O'Brien", "zz", "naïve café"
  };

  final Table table;

  VectorTestData(Path dir) {
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "region", Types.StringType.get()),
            Types.NestedField.optional(3, "i", Types.IntegerType.get()),
            Types.NestedField.optional(4, "l", Types.LongType.get()),
            Types.NestedField.optional(5, "amt", Types.DecimalType.of(10, 2)),
            Types.NestedField.optional(6, "big", Types.DecimalType.of(30, 5)),
            Types.NestedField.optional(7, "s", Types.StringType.get()),
            Types.NestedField.optional(8, "ts", Types.TimestampType.withoutZone()),
            Types.NestedField.optional(9, "tz", Types.TimestampType.withZone()),
            Types.NestedField.optional(10, "dt", Types.DateType.get()),
            Types.NestedField.optional(11, "tm", Types.TimeType.get()),
            Types.NestedField.optional(12, "b", Types.BooleanType.get()),
            Types.NestedField.optional(13, "f", Types.FloatType.get()),
            Types.NestedField.optional(14, "x", Types.DoubleType.get()),
            Types.NestedField.optional(15, "bin", Types.BinaryType.get()),
            Types.NestedField.optional(16, "u", Types.UUIDType.get()),
            Types.NestedField.optional(17, "small_amt", Types.DecimalType.of(4, 1)));
    PartitionSpec spec = PartitionSpec.builderFor(schema).identity("region").build();
    table = IcebergTestTables.create(dir, "t", schema, spec);
    Random random = new Random(42);
    long id = 0;
    for (String region : new String[] {"eu", "us", "eu", "apac"}) {
      List<Record> rows = new ArrayList<>();
      for (int k = 0; k < 1500; k++) {
        rows.add(row(table.schema(), id++, region, random));
      }
      append(table, rows);
    }
    table.updateSchema().addColumn("extra", Types.IntegerType.get()).commit();
    table.updateSchema().renameColumn("s", "label").commit();
    List<Record> rows = new ArrayList<>();
    for (int k = 0; k < 1200; k++) {
      Record r = row(table.schema(), id++, "us", random);
      r.setField("extra", random.nextInt(5) == 0 ? null : random.nextInt(10));
      rows.add(r);
    }
    append(table, rows);
    // one manifest: Iceberg then plans the files in one order, for both engines (LIMIT results)
    table.rewriteManifests().clusterBy(f -> "all").commit();
  }

  private static Record row(Schema schema, long id, String region, Random r) {
    GenericRecord g = GenericRecord.create(schema);
    g.setField("id", id);
    g.setField("region", region);
    g.setField("i", nul(r) ? null : r.nextInt(200) - 100);
    g.setField("l", nul(r) ? null : r.nextLong() / (1L << r.nextInt(60)));
    g.setField("amt", nul(r) ? null : BigDecimal.valueOf(r.nextInt(2_000_000) - 1_000_000, 2));
    g.setField(
        "big",
        nul(r) ? null : new BigDecimal(new java.math.BigInteger(90, r)).movePointLeft(5).negate());
    String word = WORDS[r.nextInt(WORDS.length)];
    // many distinct strings in some files: pages fall back from dictionary to plain encoding
    g.setField(
        schema.findField(7).name(),
        nul(r) ? null : id % 3 == 0 ? word + " " + r.nextInt(5000) : word);
    LocalDateTime ts =
        LocalDateTime.of(2020, 1, 1, 0, 0)
            .plusSeconds(r.nextInt(200_000_000) - 50_000_000)
            .plusNanos(r.nextInt(1_000_000) * 1000L);
    g.setField("ts", nul(r) ? null : ts);
    g.setField("tz", nul(r) ? null : OffsetDateTime.of(ts, ZoneOffset.UTC));
    g.setField("dt", nul(r) ? null : LocalDate.of(1965, 1, 1).plusDays(r.nextInt(30000)));
    g.setField("tm", nul(r) ? null : LocalTime.ofNanoOfDay(r.nextLong(86_400_000_000L) * 1000L));
    g.setField("b", nul(r) ? null : r.nextBoolean());
    g.setField("f", nul(r) ? null : (float) (r.nextGaussian() * 100));
    g.setField("x", nul(r) ? null : r.nextInt(10) == 0 ? -0.0 : r.nextGaussian() * 1000);
    g.setField(
        "bin", nul(r) ? null : ByteBuffer.wrap(new byte[] {(byte) r.nextInt(), 0, (byte) id}));
    g.setField("u", nul(r) ? null : new UUID(r.nextLong(), r.nextLong()));
    g.setField("small_amt", nul(r) ? null : BigDecimal.valueOf(r.nextInt(2000) - 1000, 1));
    return g;
  }

  private static boolean nul(Random r) {
    return r.nextInt(10) == 0;
  }

  /** Appends one file with small row groups and pages. */
  static DataFile append(Table table, List<Record> rows) {
    try {
      OutputFile out =
          table
              .io()
              .newOutputFile(
                  table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet"));
      PartitionKey key = new PartitionKey(table.spec(), table.schema());
      key.partition(new InternalRecordWrapper(table.schema().asStruct()).wrap(rows.get(0)));
      DataWriter<Record> writer =
          Parquet.writeData(out)
              .schema(table.schema())
              .createWriterFunc(GenericParquetWriter::create)
              .withSpec(table.spec())
              .withPartition(table.spec().isUnpartitioned() ? null : key)
              .set("write.parquet.row-group-size-bytes", "40000")
              .set("write.parquet.page-size-bytes", "4000")
              .set("write.parquet.dict-size-bytes", "2000")
              .overwrite()
              .build();
      try (writer) {
        for (Record r : rows) {
          writer.write(r);
        }
      }
      DataFile file = writer.toDataFile();
      table.newAppend().appendFile(file).commit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Rows with their timestamps floored to the millisecond: the values the row engine, which
   * computes with milliseconds, gives for stored timestamps that the vector path gives exactly.
   */
  static List<List<Object>> floorTimestamps(List<List<Object>> rows) {
    List<List<Object>> out = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      List<Object> r = new ArrayList<>(row.size());
      for (Object o : row) {
        r.add(floorToMillis(o));
      }
      out.add(r);
    }
    return out;
  }

  /** A timestamp floored to the millisecond; any other value as it is. */
  static Object floorToMillis(Object o) {
    if (o instanceof LocalDateTime t) {
      return t.truncatedTo(ChronoUnit.MILLIS);
    }
    if (o instanceof OffsetDateTime t) {
      return t.truncatedTo(ChronoUnit.MILLIS);
    }
    return o;
  }

  /** The owner's namespaces: the table is {@code company_data.t}. */
  SchemaPlus root() {
    List<DatasetHandle> handles = List.of(new DatasetHandle(1, "t", () -> table));
    return CallerSchemas.forCompany(COMPANY, List.of(), c -> c == COMPANY ? handles : List.of());
  }
}
