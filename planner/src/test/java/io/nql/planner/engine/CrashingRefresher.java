package io.nql.planner.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * A buyer process for {@link ViewCrashTest}: refreshes the view {@code copy} again and again and
 * prints {@code DONE k} after the k-th refresh returns, until it is killed.
 */
public final class CrashingRefresher {
  private CrashingRefresher() {}

  public static void main(String[] args) throws Exception {
    NqlEngine engine =
        NqlEngine.open(new EngineConfig(Path.of(args[0]), null, null, null, List.of(), "pw"));
    NqlSession beta = engine.trusted("beta_user");
    for (int k = 1; ; k++) {
      beta.execute("REFRESH MATERIALIZED VIEW \"copy\"").close();
      System.out.println("DONE " + k);
      System.out.flush();
    }
  }
}
