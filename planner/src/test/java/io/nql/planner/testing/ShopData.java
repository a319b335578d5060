package io.nql.planner.testing;

import static io.nql.planner.testing.IcebergTestTables.record;

import io.nql.planner.catalog.CallerSchemas;
import io.nql.planner.catalog.DatasetHandle;
import io.nql.planner.catalog.DatasetSource;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;

/** Two small tables (customers, orders) of company 1, slug acme; company 2 is globex. */
public final class ShopData {
  public static final long ACME = 1;
  public static final long GLOBEX = 2;

  public final Table customers;
  public final Table orders;
  public final Table purchases;

  public ShopData(Path dir) {
    IcebergTestTables t = new IcebergTestTables(dir);
    Schema cs =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "name", Types.StringType.get()),
            Types.NestedField.optional(3, "country", Types.StringType.get()),
            Types.NestedField.optional(4, "signup", Types.DateType.get()),
            Types.NestedField.optional(5, "vip", Types.BooleanType.get()));
    customers = t.create("customers", cs, PartitionSpec.unpartitioned());
    IcebergTestTables.appendFile(
        customers,
        List.of(
            record(customers, 1L, "Zoë Ünal", "DE", LocalDate.of(2024, 1, 5), true),
            record(customers, 2L, "東京 Trading", "JP", LocalDate.of(2024, 2, 29), false),
            record(customers, 3L, "Acme O'Brien", "US", LocalDate.of(2023, 12, 31), null),
            record(customers, 4L, "Nobody", null, null, false),
            record(customers, 5L, "Émile", "FR", LocalDate.of(2024, 3, 1), true)));

    Schema os =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "customer_id", Types.LongType.get()),
            Types.NestedField.optional(3, "amount", Types.DecimalType.of(10, 2)),
            Types.NestedField.optional(4, "status", Types.StringType.get()),
            Types.NestedField.optional(5, "ordered_at", Types.TimestampType.withoutZone()),
            Types.NestedField.optional(6, "qty", Types.IntegerType.get()),
            Types.NestedField.optional(7, "score", Types.DoubleType.get()));
    orders = t.create("orders", os, PartitionSpec.unpartitioned());
    IcebergTestTables.appendFile(
        orders,
        List.of(
            record(orders, 10L, 1L, new BigDecimal("19.99"), "paid", ts(2024, 1, 6, 10, 0), 1, 0.5),
            record(
                orders, 11L, 1L, new BigDecimal("5.01"), "paid", ts(2024, 1, 7, 23, 59), 3, 1.25),
            record(
                orders,
                12L,
                2L,
                new BigDecimal("100.00"),
                "refunded",
                ts(2024, 3, 1, 0, 0),
                2,
                null),
            record(orders, 13L, 3L, null, "open", ts(2024, 3, 2, 12, 30), null, 2.0)));
    IcebergTestTables.appendFile(
        orders,
        List.of(
            record(orders, 14L, 5L, new BigDecimal("0.10"), "paid", ts(2024, 3, 3, 8, 15), 10, 3.5),
            record(orders, 15L, 99L, new BigDecimal("42.42"), "open", null, 4, -1.0),
            record(orders, 16L, null, new BigDecimal("7.00"), "paid", ts(2024, 4, 1, 9, 0), 1, 0.0),
            record(
                orders,
                17L,
                2L,
                new BigDecimal("12.34"),
                "paid",
                ts(2024, 4, 2, 18, 45),
                5,
                4.75)));

    Schema ps =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "sku", Types.StringType.get()));
    purchases = t.create("purchases", ps, PartitionSpec.unpartitioned());
    IcebergTestTables.appendFile(purchases, List.of(record(purchases, 1L, "x")));
  }

  private static LocalDateTime ts(int y, int mo, int d, int h, int mi) {
    return LocalDateTime.of(y, mo, d, h, mi);
  }

  /** Datasets: acme owns customers (id 17) and orders (id 18); globex owns purchases (id 99). */
  public DatasetSource source() {
    Map<Long, List<DatasetHandle>> byCompany =
        Map.of(
            ACME,
            List.of(
                new DatasetHandle(17, "customers", () -> customers),
                new DatasetHandle(18, "orders", () -> orders)),
            GLOBEX,
            List.of(new DatasetHandle(99, "purchases", () -> purchases)));
    return company -> byCompany.getOrDefault(company, List.of());
  }

  /** The root schema of a caller from acme. */
  public SchemaPlus acmeRoot() {
    return CallerSchemas.forCompany(ACME, List.of("globex"), source());
  }
}
