package io.nql.planner.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.testing.ShopData;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArrowResultTest {
  @TempDir static Path dir;
  static ShopData data;

  @BeforeAll
  static void setUp() {
    data = new ShopData(dir);
  }

  @Test
  void batchesCarryTypesAndValues() throws Exception {
    String sql =
        "SELECT o.id, o.amount, o.ordered_at, c.signup, c.name, c.vip, o.score"
            + " FROM company_data.orders o JOIN company_data.customers c ON c.id = o.customer_id"
            + " ORDER BY o.id";
    try (BufferAllocator allocator = new RootAllocator();
        QueryResult result =
            new QueryExecutor().execute(NqlParser.parse(sql), data.acmeRoot(), new ScanMetrics());
        ArrowReader reader = result.arrowReader(allocator, 2)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      assertThat(root.getSchema().findField("id").getType()).isEqualTo(new ArrowType.Int(64, true));
      assertThat(root.getSchema().findField("amount").getType())
          .isEqualTo(new ArrowType.Decimal(10, 2, 128));
      assertThat(root.getSchema().findField("ordered_at").getType())
          .isEqualTo(
              new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MICROSECOND, null));
      assertThat(root.getSchema().findField("signup").getType())
          .isEqualTo(new ArrowType.Date(org.apache.arrow.vector.types.DateUnit.DAY));
      assertThat(root.getSchema().findField("name").getType()).isEqualTo(ArrowType.Utf8.INSTANCE);
      int batches = 0;
      int rows = 0;
      StringBuilder ids = new StringBuilder();
      while (reader.loadNextBatch()) {
        batches++;
        assertThat(root.getRowCount()).isBetween(1, 2);
        for (int i = 0; i < root.getRowCount(); i++) {
          ids.append(((BigIntVector) root.getVector("id")).get(i)).append(' ');
        }
        if (batches == 1) {
          // Order 10: customer 1, 19.99, 2024-01-06T10:00, signup 2024-01-05, vip, score 0.5.
          assertThat(((DecimalVector) root.getVector("amount")).getObject(0))
              .isEqualTo(new BigDecimal("19.99"));
          assertThat(((TimeStampMicroVector) root.getVector("ordered_at")).get(0))
              .isEqualTo(
                  LocalDateTime.of(2024, 1, 6, 10, 0).toEpochSecond(ZoneOffset.UTC) * 1_000_000L);
          assertThat(((DateDayVector) root.getVector("signup")).get(0))
              .isEqualTo((int) java.time.LocalDate.of(2024, 1, 5).toEpochDay());
          assertThat(((VarCharVector) root.getVector("name")).getObject(0).toString())
              .isEqualTo("Zoë Ünal");
          assertThat(((BitVector) root.getVector("vip")).get(0)).isEqualTo(1);
          assertThat(((Float8Vector) root.getVector("score")).get(1)).isEqualTo(1.25);
        }
        if (batches == 2) {
          // Orders 12 (100.00, NULL score) and 13 (NULL amount, score 2.0).
          assertThat(((DecimalVector) root.getVector("amount")).getObject(0))
              .isEqualTo(new BigDecimal("100.00"));
          assertThat(root.getVector("score").isNull(0)).isTrue();
          assertThat(root.getVector("amount").isNull(1)).isTrue();
        }
        rows += root.getRowCount();
      }
      // Orders with a known customer: 10, 11, 12, 13, 14, 17 (15 has customer 99, 16 none).
      assertThat(ids.toString().trim()).isEqualTo("10 11 12 13 14 17");
      assertThat(rows).isEqualTo(6);
      assertThat(batches).isEqualTo(3);
    }
  }
}
