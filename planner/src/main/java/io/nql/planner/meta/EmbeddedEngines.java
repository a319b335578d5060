package io.nql.planner.meta;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engines behind {@code jdbc:nql:embedded:<dir>} URLs: one per warehouse directory per JVM,
 * opened on first use and closed when the JVM exits. COPY INTO reads below the directories listed
 * in the system property {@code nql.ingest.roots} (path-separator separated), each company only in
 * its area {@code <root>/<company_slug>/}; none by default. EXPORT writes below those of {@code
 * nql.export.roots} alike; none by default.
 */
public final class EmbeddedEngines {
  private static final Map<Path, NqlEngine> ENGINES = new ConcurrentHashMap<>();
  private static final Map<Path, NqlMeta> METAS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(EmbeddedEngines::closeAll, "nql-embedded-shutdown"));
  }

  private EmbeddedEngines() {}

  /** The Meta for a warehouse directory, opening its engine on first use. */
  public static NqlMeta meta(String warehouse) {
    Path dir = canonical(warehouse);
    return METAS.computeIfAbsent(dir, d -> new NqlMeta(engine(d), true, FrameSizes.DEFAULT, true));
  }

  /** The engine for a warehouse directory, opening it on first use. */
  public static NqlEngine engine(Path warehouse) {
    return ENGINES.computeIfAbsent(
        canonical(warehouse.toString()),
        d ->
            NqlEngine.open(
                EngineConfig.embedded(d, roots("nql.ingest.roots"))
                    .withExportRoots(roots("nql.export.roots"))));
  }

  /** Closes every embedded engine (also done at JVM exit). */
  public static synchronized void closeAll() {
    METAS.clear();
    for (NqlEngine e : ENGINES.values()) {
      try {
        e.close();
      } catch (RuntimeException ignored) {
        // closing at exit: nothing left to report to
      }
    }
    ENGINES.clear();
  }

  /** The directories listed in a system property (path-separator separated). */
  private static List<Path> roots(String property) {
    String prop = System.getProperty(property);
    List<Path> roots = new ArrayList<>();
    if (prop != null) {
      for (String p : prop.split(File.pathSeparator)) {
        if (!p.isBlank()) {
          roots.add(Path.of(p));
        }
      }
    }
    return roots;
  }

  private static Path canonical(String warehouse) {
    try {
      Path p = Path.of(warehouse).toAbsolutePath().normalize();
      Files.createDirectories(p);
      return p.toRealPath();
    } catch (IOException | RuntimeException e) {
      throw new NqlException(
          ErrorCode.IO_ERROR, "Cannot open warehouse '" + warehouse + "': " + e.getMessage());
    }
  }
}
