package io.nql.planner.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * A provider process for {@link DmlCrashTest}: runs {@link DmlCrashTest#operation} 1, 2, 3, … on
 * its dataset and prints {@code DONE k} after the k-th returns, until it is killed.
 */
public final class CrashingWriter {
  private CrashingWriter() {}

  public static void main(String[] args) throws Exception {
    NqlEngine engine =
        NqlEngine.open(new EngineConfig(Path.of(args[0]), null, null, null, List.of(), "pw"));
    NqlSession acme = engine.trusted("acme_user");
    for (int k = Integer.parseInt(args[1]) + 1; ; k++) {
      acme.execute(DmlCrashTest.operation(k)).close();
      System.out.println("DONE " + k);
      System.out.flush();
    }
  }
}
