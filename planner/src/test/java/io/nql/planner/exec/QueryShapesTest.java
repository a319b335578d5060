package io.nql.planner.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.testing.IcebergTestTables;
import io.nql.planner.testing.ShopData;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Query shapes over Iceberg tables, each compared with DuckDB running the same SQL over the same
 * Parquet data files. Queries with ORDER BY compare in order, others as multisets.
 */
class QueryShapesTest {
  @TempDir static Path dir;
  static ShopData data;
  static Connection duck;

  @BeforeAll
  static void setUp() throws Exception {
    data = new ShopData(dir);
    duck = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = duck.createStatement()) {
      s.execute("CREATE SCHEMA company_data");
      view(s, "customers", data.customers);
      view(s, "orders", data.orders);
    }
  }

  private static void view(Statement s, String name, Table table) throws Exception {
    String files =
        IcebergTestTables.dataFiles(table).stream()
            .map(f -> "'" + f + "'")
            .collect(Collectors.joining(", "));
    s.execute(
        "CREATE VIEW company_data." + name + " AS SELECT * FROM read_parquet([" + files + "])");
  }

  @AfterAll
  static void tearDown() throws Exception {
    duck.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT id, name FROM company_data.customers WHERE country IN ('DE', 'FR') OR vip IS NULL",
        "SELECT id FROM company_data.orders WHERE NOT (status <> 'paid') AND qty BETWEEN 2 AND 10",
        "SELECT id, amount * qty AS total FROM company_data.orders WHERE amount >= 5.01",
        "SELECT c.name, o.id, o.amount FROM company_data.customers c"
            + " JOIN company_data.orders o ON o.customer_id = c.id WHERE o.status = 'paid'",
        "SELECT c.id, o.id FROM company_data.customers c"
            + " LEFT JOIN company_data.orders o ON o.customer_id = c.id",
        "SELECT status, count(*) AS n, sum(amount) AS total, avg(qty) AS q"
            + " FROM company_data.orders GROUP BY status HAVING count(*) > 1",
        "SELECT customer_id, id, row_number() OVER (PARTITION BY customer_id ORDER BY id) AS rn,"
            + " sum(amount) OVER (PARTITION BY customer_id) AS s FROM company_data.orders",
        "SELECT id FROM company_data.orders o WHERE amount > (SELECT avg(amount)"
            + " FROM company_data.orders i WHERE i.status = o.status)",
        "SELECT id FROM company_data.customers c WHERE EXISTS (SELECT 1"
            + " FROM company_data.orders o WHERE o.customer_id = c.id AND o.status = 'paid')",
        "SELECT id FROM company_data.customers WHERE id NOT IN (SELECT customer_id"
            + " FROM company_data.orders WHERE customer_id IS NOT NULL)",
        "SELECT id FROM company_data.customers WHERE id IN (SELECT customer_id"
            + " FROM company_data.orders WHERE amount > 10)",
        "WITH big AS (SELECT customer_id, sum(amount) AS s FROM company_data.orders"
            + " GROUP BY customer_id) SELECT c.name, big.s FROM big"
            + " JOIN company_data.customers c ON c.id = big.customer_id",
        "SELECT customer_id FROM company_data.orders UNION SELECT id FROM company_data.customers",
        "SELECT customer_id FROM company_data.orders UNION ALL SELECT id"
            + " FROM company_data.customers",
        "SELECT customer_id FROM company_data.orders INTERSECT SELECT id"
            + " FROM company_data.customers",
        "SELECT id FROM company_data.customers EXCEPT SELECT customer_id FROM company_data.orders",
        "SELECT id, amount FROM company_data.orders ORDER BY amount DESC NULLS LAST, id"
            + " LIMIT 3 OFFSET 1",
        "SELECT id, ordered_at FROM company_data.orders WHERE ordered_at >= TIMESTAMP"
            + " '2024-03-01 00:00:00' AND ordered_at < TIMESTAMP '2024-04-02 00:00:00'",
        "SELECT id, name, signup FROM company_data.customers WHERE signup > DATE '2024-01-31'",
        "SELECT id FROM company_data.customers WHERE name LIKE 'Zo%' OR name LIKE '東京%'",
        "SELECT id, upper(name) AS u, char_length(name) AS l FROM company_data.customers",
        "SELECT count(*), count(customer_id), count(DISTINCT status), min(ordered_at),"
            + " max(amount), sum(score) FROM company_data.orders",
        "SELECT id, CASE WHEN amount IS NULL THEN 'none' WHEN amount > 20 THEN 'big'"
            + " ELSE 'small' END AS size FROM company_data.orders",
        "SELECT id FROM company_data.orders WHERE amount = 7 OR amount = 0.1",
        "SELECT id, coalesce(qty, -1) AS q FROM company_data.orders WHERE score IS NULL"
            + " OR score < 1",
        "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(x, y) WHERE x > 1",
      })
  void matchesDuckDb(String sql) throws Exception {
    List<List<String>> expected = duckRows(sql);
    List<List<String>> actual = nqlRows(sql);
    assertThat(actual).as(sql).isNotEmpty();
    if (sql.contains("ORDER BY") && !sql.contains("OVER")) {
      assertThat(actual).as(sql).containsExactlyElementsOf(expected);
    } else {
      assertThat(actual).as(sql).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private static List<List<String>> nqlRows(String sql) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    try (QueryResult r =
        new QueryExecutor().execute(NqlParser.parse(sql), data.acmeRoot(), new ScanMetrics())) {
      while (r.next()) {
        List<String> row = new ArrayList<>();
        for (Object v : r.row()) {
          row.add(normalize(v));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static List<List<String>> duckRows(String sql) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    try (Statement s = duck.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(normalize(rs.getObject(i)));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** One text form for both engines: numbers by value, timestamps ISO, doubles rounded. */
  static String normalize(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof Timestamp t) {
      return t.toLocalDateTime().toString();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (v instanceof Double || v instanceof Float) {
      return new BigDecimal(((Number) v).doubleValue())
          .setScale(6, java.math.RoundingMode.HALF_UP)
          .stripTrailingZeros()
          .toPlainString();
    }
    if (v instanceof Number n) {
      BigDecimal d = new BigDecimal(n.toString());
      return d.setScale(Math.min(d.scale(), 6), java.math.RoundingMode.HALF_UP)
          .stripTrailingZeros()
          .toPlainString();
    }
    return v.toString();
  }
}
