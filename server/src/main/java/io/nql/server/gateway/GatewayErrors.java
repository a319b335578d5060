package io.nql.server.gateway;

import io.nql.planner.error.ErrorCode;
import java.time.Duration;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;

/** The errors the gateway itself raises, as Avatica errors with a SQLSTATE. */
final class GatewayErrors {
  /** Same text as the engine's Meta for an unknown id: a foreign id must look unknown. */
  static final String UNKNOWN_CONNECTION = "Connection is closed or unknown";

  private GatewayErrors() {}

  static AvaticaRuntimeException unknownConnection() {
    return of(ErrorCode.INVALID_AUTHORIZATION, UNKNOWN_CONNECTION);
  }

  static AvaticaRuntimeException otherUser() {
    return of(
        ErrorCode.INVALID_AUTHORIZATION,
        "Cannot connect: the user property names another user than the one authenticated");
  }

  static AvaticaRuntimeException shuttingDown() {
    return new AvaticaRuntimeException(
        "Cannot run a statement: the gateway is shutting down", 0, "57P01", AvaticaSeverity.ERROR);
  }

  static AvaticaRuntimeException timedOut(Duration timeout) {
    return of(
        ErrorCode.QUERY_CANCELED,
        "Statement cancelled: it ran longer than the statement timeout of "
            + Durations.format(timeout));
  }

  static AvaticaRuntimeException notSupported(String what) {
    return of(ErrorCode.NOT_SUPPORTED, "Cannot " + what + ": not supported by the gateway");
  }

  static AvaticaRuntimeException internal() {
    return of(ErrorCode.INTERNAL_ERROR, "Internal error in the gateway; see the gateway log");
  }

  private static AvaticaRuntimeException of(ErrorCode code, String message) {
    return new AvaticaRuntimeException(
        message, code.vendorCode(), code.sqlState(), AvaticaSeverity.ERROR);
  }
}
