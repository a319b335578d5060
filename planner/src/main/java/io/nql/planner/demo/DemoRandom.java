package io.nql.planner.demo;

/**
 * SplitMix64: a tiny generator whose output is fixed by its seed on every JVM, so demo data is the
 * same on every run and machine.
 */
final class DemoRandom {
  private long state;

  DemoRandom(long seed) {
    this.state = seed;
  }

  /** A stateless hash of {@code seed} and {@code index}, for values derived from an id. */
  static long hash(long seed, long index) {
    return mix(seed + index * 0x9E3779B97F4A7C15L);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  long nextLong() {
    state += 0x9E3779B97F4A7C15L;
    return mix(state);
  }

  /** Uniform in [0, bound). */
  int nextInt(int bound) {
    return (int) Math.floorMod(nextLong(), (long) bound);
  }

  /** Uniform in [0, 1). */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** An index into {@code weights} chosen with probability proportional to its weight. */
  int weighted(int[] weights, int total) {
    int r = nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }
}
