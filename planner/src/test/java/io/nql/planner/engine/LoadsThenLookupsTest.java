package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several loads into one dataset, each followed by lookups and full reads on both executors, with
 * literals and with parameters: every row of every load is found. (Statistics read each load's
 * added files through a restricted view of the table; a file list cached from that view once made
 * the vector path see the newest load only.)
 */
class LoadsThenLookupsTest {
  @TempDir Path dir;

  private static List<Long> ids(NqlSession s, String sql, List<Object> params) {
    List<Long> out = new ArrayList<>();
    try (StatementResult r = s.execute(sql, params)) {
      for (Object[] row = r.next(); row != null; row = r.next()) {
        out.add(((Number) row[0]).longValue());
      }
    }
    return out;
  }

  @Test
  void everyLoadedRowIsFoundAfterEachLoad() throws Exception {
    Path ingest = dir.resolve("ingest");
    Path area = Files.createDirectories(ingest.resolve("acme"));
    try (NqlEngine engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "pw"))) {
      try (NqlSession admin = engine.trusted("admin")) {
        admin.execute("CREATE COMPANY acme").close();
        admin.execute("CREATE USER \"acme_user\" COMPANY acme PASSWORD 'pw-acme-1'").close();
      }
      try (NqlSession acme = engine.trusted("acme_user")) {
        acme.execute("CREATE DATASET \"events\" (id BIGINT NOT NULL, region VARCHAR)").close();
        int[][] loads = {{1, 200}, {201, 208}, {300, 320}};
        List<Long> loaded = new ArrayList<>();
        for (int[] l : loads) {
          StringBuilder csv = new StringBuilder("id,region\n");
          for (int i = l[0]; i <= l[1]; i++) {
            csv.append(i).append(",r").append(i % 4).append('\n');
            loaded.add((long) i);
          }
          Files.writeString(area.resolve("e" + l[0] + ".csv"), csv);
          acme.execute("COPY INTO company_data.events FROM 'e" + l[0] + ".csv' HEADER = TRUE")
              .close();
          for (String vector : List.of("true", "false")) {
            acme.setProperty("vector_execution", vector);
            assertThat(ids(acme, "SELECT id FROM company_data.events ORDER BY id", List.of()))
                .as("all rows, vector %s, after load %d", vector, l[0])
                .isEqualTo(loaded);
            for (long id : new long[] {7, 150, 205, 310, 400}) {
              List<Long> want = loaded.contains(id) ? List.of(id) : List.of();
              assertThat(
                      ids(acme, "SELECT id FROM company_data.events WHERE id = " + id, List.of()))
                  .as("literal %d, vector %s, after load %d", id, vector, l[0])
                  .isEqualTo(want);
              assertThat(ids(acme, "SELECT id FROM company_data.events WHERE id = ?", List.of(id)))
                  .as("parameter %d, vector %s, after load %d", id, vector, l[0])
                  .isEqualTo(want);
            }
          }
        }
      }
    }
  }
}
