package io.nql.planner.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * A provider process for {@link CopyCrashTest} and {@link CompactionCrashTest}: opens the
 * warehouse, prints {@code LOADING} and runs its statement as {@code acme_user} (by default it
 * copies {@code big.csv} into {@code company_data.events}), then prints {@code DONE} — unless it is
 * killed first, which is the point.
 */
public final class CrashingLoader {
  private CrashingLoader() {}

  public static void main(String[] args) throws Exception {
    NqlEngine engine =
        NqlEngine.open(
            new EngineConfig(Path.of(args[0]), null, null, null, List.of(Path.of(args[1])), "pw"));
    NqlSession acme = engine.trusted("acme_user");
    System.out.println("LOADING");
    System.out.flush();
    String statement =
        args.length > 2 ? args[2] : "COPY INTO company_data.events FROM 'big.csv' HEADER = TRUE";
    acme.execute(statement).close();
    System.out.println("DONE");
    System.out.flush();
  }
}
