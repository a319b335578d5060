package io.nql.planner.policy;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import java.nio.file.Path;
import java.util.List;

/**
 * A buyer process for {@link CrashReconciliationTest}: runs one priced statement and prints each
 * row it receives, slowly, until it is killed.
 */
public final class CrashingBuyer {
  private CrashingBuyer() {}

  public static void main(String[] args) throws Exception {
    NqlEngine engine =
        NqlEngine.open(new EngineConfig(Path.of(args[0]), null, null, null, List.of(), "pw"));
    NqlSession buyer = engine.trusted("buyer_co_user");
    StatementResult r = buyer.execute(args[1]);
    System.out.println("STATEMENT " + r.statementId());
    long n = 0;
    while (r.next() != null) {
      n++;
      System.out.println("ROW " + n);
      System.out.flush();
      Thread.sleep(2);
    }
    System.out.println("DONE " + n);
  }
}
