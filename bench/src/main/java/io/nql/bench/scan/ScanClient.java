package io.nql.bench.scan;

/** A system under test: runs one scenario's statement and reads every value of its result. */
interface ScanClient extends AutoCloseable {
  /** The name the figures are printed under. */
  String name();

  /** Runs {@code scenario} (one of {@link ScanQueries#SCENARIOS}) once. */
  Answer run(String scenario) throws Exception;
}
