package io.nql.server.gateway;

import java.util.concurrent.Callable;

/**
 * The authenticated user of the HTTP request this thread is serving. Set by the Avatica handler
 * (through {@link GatewayServerConfiguration#doAsRemoteUser}) around each Meta call.
 */
final class Caller {
  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private Caller() {}

  /** The current caller, or {@code null} outside an authenticated request. */
  static String current() {
    return CURRENT.get();
  }

  static <T> T callAs(String user, Callable<T> action) throws Exception {
    String previous = CURRENT.get();
    CURRENT.set(user);
    try {
      return action.call();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }
}
