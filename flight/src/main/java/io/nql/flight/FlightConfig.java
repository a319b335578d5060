package io.nql.flight;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run the Flight SQL endpoint.
 *
 * @param bindAddress address to listen on ({@code 0.0.0.0}: every interface)
 * @param port port; 0 picks a free one
 * @param tlsKeystore PKCS12 keystore with the server's key and certificate chain, or {@code null}
 *     for plaintext
 * @param tlsKeystorePassword password of the keystore (and of its key)
 * @param tokenTtl how long a bearer token stays valid after the login that issued it
 * @param statementMemory most bytes of Arrow memory one statement's result stream may hold
 * @param batchRows most rows per record batch
 * @param resultTtl how long an executed statement waits for its DoGet before it is closed
 * @param statementTimeout statements (from execution to the end of their stream) running longer are
 *     cancelled with SQLSTATE 57014 and status TIMED_OUT; zero for none
 */
public record FlightConfig(
    String bindAddress,
    int port,
    Path tlsKeystore,
    String tlsKeystorePassword,
    Duration tokenTtl,
    long statementMemory,
    int batchRows,
    Duration resultTtl,
    Duration statementTimeout) {

  /** The default Flight SQL port. */
  public static final int DEFAULT_PORT = 32010;

  /** Default token lifetime. */
  public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(1);

  /** Default memory limit of one statement's stream: 256 MiB. */
  public static final long DEFAULT_STATEMENT_MEMORY = 256L << 20;

  public FlightConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "Cannot use Flight port " + port + ": expected 0 to 65535");
    }
    if (tokenTtl.isNegative() || tokenTtl.isZero()) {
      throw new IllegalArgumentException("Cannot use token lifetime " + tokenTtl + ": must be > 0");
    }
    if (statementMemory < (1 << 16)) {
      throw new IllegalArgumentException(
          "Cannot use statement memory " + statementMemory + ": must be at least 64 KiB");
    }
    if (batchRows < 1) {
      throw new IllegalArgumentException("Cannot use batch rows " + batchRows + ": must be >= 1");
    }
    if (statementTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "Cannot use statement timeout " + statementTimeout + ": must be >= 0");
    }
  }

  /** A plaintext endpoint with the defaults, on the given address and port. */
  public static FlightConfig plaintext(String bindAddress, int port) {
    return new FlightConfig(
        bindAddress,
        port,
        null,
        null,
        DEFAULT_TOKEN_TTL,
        DEFAULT_STATEMENT_MEMORY,
        4096,
        Duration.ofMinutes(5),
        Duration.ZERO);
  }

  /** Whether the endpoint speaks TLS. */
  public boolean tls() {
    return tlsKeystore != null;
  }

  /** A copy with other TLS settings. */
  public FlightConfig withTls(Path keystore, String password) {
    return new FlightConfig(
        bindAddress,
        port,
        keystore,
        password,
        tokenTtl,
        statementMemory,
        batchRows,
        resultTtl,
        statementTimeout);
  }

  /** A copy with another token lifetime. */
  public FlightConfig withTokenTtl(Duration ttl) {
    return new FlightConfig(
        bindAddress,
        port,
        tlsKeystore,
        tlsKeystorePassword,
        ttl,
        statementMemory,
        batchRows,
        resultTtl,
        statementTimeout);
  }

  /** A copy with another per-statement memory limit and batch size. */
  public FlightConfig withStatementMemory(long bytes, int rows) {
    return new FlightConfig(
        bindAddress,
        port,
        tlsKeystore,
        tlsKeystorePassword,
        tokenTtl,
        bytes,
        rows,
        resultTtl,
        statementTimeout);
  }

  /** A copy with another statement timeout (zero for none). */
  public FlightConfig withStatementTimeout(Duration timeout) {
    return new FlightConfig(
        bindAddress,
        port,
        tlsKeystore,
        tlsKeystorePassword,
        tokenTtl,
        statementMemory,
        batchRows,
        resultTtl,
        timeout);
  }
}
