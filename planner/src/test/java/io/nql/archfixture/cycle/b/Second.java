package io.nql.archfixture.cycle.b;

import io.nql.archfixture.cycle.a.First;

/** The other half of a deliberate package cycle, for {@code ArchitectureTest}: b → a. */
public final class Second {
  private Second() {}

  public static int next(int n) {
    return n > 10 ? n : First.next(n + 1);
  }
}
