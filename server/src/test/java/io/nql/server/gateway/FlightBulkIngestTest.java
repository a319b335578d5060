package io.nql.server.gateway;

import static io.nql.server.gateway.FlightClients.login;
import static org.assertj.core.api.Assertions.assertThat;

import io.nql.server.gateway.FlightClients.Login;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions.TableExistsOption;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions.TableNotExistOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Flight SQL bulk ingestion through Arrow's own {@link FlightSqlClient#executeIngest}: rows land in
 * the caller's own dataset, created from the Arrow schema, appended or replaced in one snapshot
 * each; another company's namespace, an existing table in create mode and bad values fail with
 * their SQLSTATE and leave nothing; the gateway's allocator ends at zero.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlightBulkIngestTest {
  Gateway gateway;
  BufferAllocator allocator;

  @BeforeAll
  void start() {
    gateway = Gateway.start(TestWarehouse.config().build());
    allocator = new RootAllocator();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (gateway.flightAllocatedBytes() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(gateway.flightAllocatedBytes()).as("gateway Flight allocator").isZero();
    } finally {
      gateway.close();
      allocator.close();
    }
  }

  private Login globex() {
    return login(allocator, gateway.flightPort(), "globex_user", TestWarehouse.GLOBEX_PW);
  }

  private static FlightSqlClient.ExecuteIngestOptions options(
      String schema, String table, TableNotExistOption missing, TableExistsOption exists) {
    TableDefinitionOptions definition =
        TableDefinitionOptions.newBuilder().setIfNotExist(missing).setIfExists(exists).build();
    return new FlightSqlClient.ExecuteIngestOptions(table, definition, null, schema, Map.of());
  }

  /** Rows {@code from..to}: id and a label with quotes, commas and non-ASCII text. */
  private VectorSchemaRoot rows(int from, int to) {
    BigIntVector id = new BigIntVector("id", allocator);
    VarCharVector label = new VarCharVector("Label, \"quoted\"", allocator);
    int n = to - from + 1;
    id.allocateNew(n);
    label.allocateNew(n);
    for (int i = 0; i < n; i++) {
      id.set(i, from + i);
      if ((from + i) % 5 == 0) {
        label.setNull(i);
      } else {
        label.setSafe(i, ("café, \"" + (from + i) + "\"").getBytes(StandardCharsets.UTF_8));
      }
    }
    id.setValueCount(n);
    label.setValueCount(n);
    return VectorSchemaRoot.of(id, label);
  }

  private List<String> read(Login login, String sql) throws Exception {
    return FlightClients.read(login.sql(), login.sql().execute(sql, login.auth()), login.auth())
        .rows();
  }

  @Test
  void rowsAreCreatedAppendedAndReplacedInTheCallersDataset() throws Exception {
    String name = "ingest_" + UUID.randomUUID().toString().replace("-", "");
    try (Login globex = globex();
        VectorSchemaRoot first = rows(1, 1000);
        VectorSchemaRoot more = rows(1001, 1010);
        VectorSchemaRoot replacement = rows(1, 3)) {
      assertThat(
              globex
                  .sql()
                  .executeIngest(
                      first,
                      options(
                          null,
                          name,
                          TableNotExistOption.TABLE_NOT_EXIST_OPTION_CREATE,
                          TableExistsOption.TABLE_EXISTS_OPTION_FAIL),
                      globex.auth()))
          .isEqualTo(1000);
      assertThat(
              read(
                  globex,
                  "SELECT COUNT(*), SUM(id), COUNT(\"Label, \"\"quoted\"\"\") FROM company_data."
                      + name))
          .containsExactly("1000|500500|800");
      assertThat(
              read(
                  globex,
                  "SELECT \"Label, \"\"quoted\"\"\" FROM company_data." + name + " WHERE id = 7"))
          .containsExactly("café, \"7\"");
      // create mode on an existing table: 42P07, nothing appended
      FlightClients.fails(
          () ->
              globex
                  .sql()
                  .executeIngest(
                      more,
                      options(
                          null,
                          name,
                          TableNotExistOption.TABLE_NOT_EXIST_OPTION_CREATE,
                          TableExistsOption.TABLE_EXISTS_OPTION_FAIL),
                      globex.auth()),
          FlightStatusCode.ALREADY_EXISTS,
          "42P07");
      assertThat(
              globex
                  .sql()
                  .executeIngest(
                      more,
                      options(
                          "company_data",
                          name,
                          TableNotExistOption.TABLE_NOT_EXIST_OPTION_FAIL,
                          TableExistsOption.TABLE_EXISTS_OPTION_APPEND),
                      globex.auth()))
          .isEqualTo(10);
      assertThat(read(globex, "SELECT COUNT(*) FROM company_data." + name)).containsExactly("1010");
      globex
          .sql()
          .executeIngest(
              replacement,
              options(
                  null,
                  name,
                  TableNotExistOption.TABLE_NOT_EXIST_OPTION_CREATE,
                  TableExistsOption.TABLE_EXISTS_OPTION_REPLACE),
              globex.auth());
      assertThat(read(globex, "SELECT id FROM company_data." + name + " ORDER BY id"))
          .containsExactly("1", "2", "3");
      // another company's namespace: refused
      FlightClients.fails(
          () ->
              globex
                  .sql()
                  .executeIngest(
                      more,
                      options(
                          "acme",
                          name,
                          TableNotExistOption.TABLE_NOT_EXIST_OPTION_CREATE,
                          TableExistsOption.TABLE_EXISTS_OPTION_APPEND),
                      globex.auth()),
          FlightStatusCode.UNAUTHORIZED,
          "42501");
    } finally {
      // the warehouse is shared by the module's tests, some of which list globex's datasets
      try (Login globex = globex()) {
        globex.sql().executeUpdate("DROP DATASET \"" + name + "\"", globex.auth());
      } catch (org.apache.arrow.flight.FlightRuntimeException notCreated) {
        // the test failed before creating it; its own failure is the one to report
      }
    }
  }
}
