package io.nql.planner.engine;

import io.nql.planner.ingest.RecordWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

/**
 * A marketplace for export tests, in {@code dir}: ingest root {@code ingest/}, export root {@code
 * export/} with the areas of {@code acme} and {@code beta}. {@code acme} owns {@code people} (ids
 * 1..40, region {@code internal} for multiples of 4, else {@code eu}), sells the rule {@code
 * people_eu} (the 30 rows not internal) to {@code beta} at 1 USD a row, and owns {@code numbers}
 * ({@value #NUMBERS} rows {@code n, s}).
 */
final class ExportMarketplace {
  static final int NUMBERS = 50_000;

  final NqlEngine engine;
  final Path ingest;
  final Path export;
  final Path warehouse;

  private ExportMarketplace(NqlEngine engine, Path ingest, Path export, Path warehouse) {
    this.engine = engine;
    this.ingest = ingest;
    this.export = export;
    this.warehouse = warehouse;
  }

  static ExportMarketplace open(Path dir) throws Exception {
    Path ingest = Files.createDirectories(dir.resolve("ingest")).toRealPath();
    Path export = Files.createDirectories(dir.resolve("export")).toRealPath();
    Path area = Files.createDirectories(ingest.resolve("acme"));
    Files.createDirectories(export.resolve("acme"));
    Files.createDirectories(export.resolve("beta"));
    StringBuilder csv = new StringBuilder("id,region\n");
    for (int i = 1; i <= 40; i++) {
      csv.append(i).append(',').append(i % 4 == 0 ? "internal" : "eu").append('\n');
    }
    Files.writeString(area.resolve("people.csv"), csv);
    Path warehouse = dir.resolve("wh");
    NqlEngine engine =
        NqlEngine.open(
            new EngineConfig(warehouse, null, null, null, List.of(ingest), List.of(export), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("acme", "beta")) {
        admin.execute("CREATE COMPANY " + c).close();
        admin.execute("CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'").close();
      }
    }
    try (NqlSession acme = engine.trusted("acme_user")) {
      acme.execute("CREATE DATASET \"people\" (id BIGINT, region VARCHAR)").close();
      acme.execute("COPY INTO company_data.people FROM 'people.csv' HEADER = TRUE").close();
      acme.execute(
              "CREATE ACCESS RULE \"people_eu\" PRICE_CPM_USD = 1000 SHARE WITH COMPANIES (beta)"
                  + " AS SELECT id, region FROM company_data.people WHERE region <> 'internal'")
          .close();
    }
    Schema numbers =
        new Schema(
            Types.NestedField.optional(1, "n", Types.LongType.get()),
            Types.NestedField.optional(2, "s", Types.StringType.get()));
    Table table =
        engine
            .warehouse()
            .loadTable(
                engine
                    .warehouse()
                    .createDataset(
                        engine.store().company("acme").orElseThrow(),
                        "numbers",
                        numbers,
                        PartitionSpec.unpartitioned()));
    List<Record> rows = new ArrayList<>(NUMBERS);
    for (long i = 0; i < NUMBERS; i++) {
      GenericRecord r = GenericRecord.create(numbers);
      r.set(0, i);
      r.set(1, "row number " + i);
      rows.add(r);
    }
    RecordWriter.appendAll(table, rows);
    engine.dataChanged();
    return new ExportMarketplace(engine, ingest, export, warehouse.toRealPath());
  }

  long companyId(String slug) {
    return engine.store().company(slug).orElseThrow().id();
  }
}
