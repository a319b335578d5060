package io.nql.planner.policy.harness;

/**
 * How long a harness runs, from system properties: {@code nql.harness.seed} (default fixed, so a
 * build is reproducible), {@code nql.harness.statements} (the number of generated statements) and
 * {@code nql.harness.threads} (worlds observed in parallel, default 2).
 *
 * <p>A longer run: {@code mvn -B -q verify -pl planner -Dtest='*HarnessTest'
 * -Dsurefire.failIfNoSpecifiedTests=false -Dnql.harness.seed=$RANDOM
 * -Dnql.harness.statements=20000}.
 */
public record HarnessSettings(long seed, int statements, int threads) {
  /** The default seed of {@code mvn verify}. */
  public static final long DEFAULT_SEED = 20261205L;

  /** The settings, with {@code defaultStatements} unless {@code nql.harness.statements} is set. */
  public static HarnessSettings fromSystemProperties(int defaultStatements) {
    return new HarnessSettings(
        Long.getLong("nql.harness.seed", DEFAULT_SEED),
        Integer.getInteger("nql.harness.statements", defaultStatements),
        Integer.getInteger("nql.harness.threads", 2));
  }
}
