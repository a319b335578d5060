package io.nql.planner.testing;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import java.nio.file.Path;
import java.util.List;

/** An engine with companies and one user each ({@code <company>_user}, password {@code pw}). */
public final class Marketplace {
  private Marketplace() {}

  /**
   * Opens an embedded engine on {@code warehouse} that loads from {@code ingest} (companies stage
   * their files in {@code <ingest>/<slug>/}), with the admin password {@code pw}, and creates the
   * companies.
   */
  public static NqlEngine open(Path warehouse, Path ingest, String... companies) {
    return open(new EngineConfig(warehouse, null, null, null, List.of(ingest), "pw"), companies);
  }

  /**
   * As {@link #open(Path, Path, String...)}, with an engine of {@code config} (admin password pw).
   */
  public static NqlEngine open(EngineConfig config, String... companies) {
    NqlEngine engine = NqlEngine.open(config);
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : companies) {
        admin.execute("CREATE COMPANY " + c).close();
        admin.execute("CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'").close();
      }
    }
    return engine;
  }
}
