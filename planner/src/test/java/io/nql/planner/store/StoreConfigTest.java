package io.nql.planner.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreConfigTest {
  @TempDir Path dir;

  private static StoreConfig h2(String url) {
    return new StoreConfig(url, "nql", "");
  }

  @Test
  void theEmbeddedStoreLivesInTheWarehouseMetadataDirectory() {
    StoreConfig embedded = JdbcMetadataStore.embeddedConfig(dir.resolve("wh"));
    assertThat(embedded.localDirectory()).contains(dir.resolve("wh/metadata"));
  }

  @Test
  void anH2FileDatabaseLivesInTheDirectoryOfItsPath() {
    assertThat(h2("jdbc:h2:file:/srv/meta/nql;MODE=PostgreSQL").localDirectory())
        .contains(Path.of("/srv/meta"));
    assertThat(h2("jdbc:h2:/srv/meta/nql").localDirectory()).contains(Path.of("/srv/meta"));
    assertThat(h2("jdbc:h2:nio:/srv/x/../meta/nql").localDirectory())
        .contains(Path.of("/srv/meta"));
    assertThat(h2("jdbc:h2:split:28:/srv/meta/nql").localDirectory())
        .contains(Path.of("/srv/meta"));
    assertThat(h2("jdbc:h2:~/nql").localDirectory())
        .contains(Path.of(System.getProperty("user.home")).toAbsolutePath().normalize());
    assertThat(h2("jdbc:h2:./meta/nql").localDirectory())
        .contains(Path.of("meta").toAbsolutePath());
  }

  @Test
  void inMemoryServerAndOtherDatabasesHaveNoLocalDirectory() {
    assertThat(h2("jdbc:h2:mem:nql;DB_CLOSE_DELAY=-1").localDirectory()).isEmpty();
    assertThat(h2("jdbc:h2:tcp://db:9092/~/nql").localDirectory()).isEmpty();
    assertThat(h2("jdbc:h2:ssl://db/~/nql").localDirectory()).isEmpty();
    assertThat(h2("jdbc:postgresql://db:5432/nql").localDirectory()).isEmpty();
  }
}
