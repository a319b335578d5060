package io.nql.archfixture.cycle.a;

import io.nql.archfixture.cycle.b.Second;

/** Half of a deliberate package cycle, for {@code ArchitectureTest}: a → b. */
public final class First {
  private First() {}

  public static int next(int n) {
    return Second.next(n) + 1;
  }
}
