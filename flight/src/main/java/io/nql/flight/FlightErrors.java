package io.nql.flight;

import io.nql.planner.error.NqlException;
import java.util.function.Supplier;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.ErrorFlightMetadata;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become Flight statuses. The description is {@code SQLSTATE: message}
 * (one line, no class name, no stack trace) and the SQLSTATE is also in the trailer {@value
 * #SQLSTATE_KEY}.
 *
 * <p>Status by SQLSTATE: 28xxx UNAUTHENTICATED; 42501 PERMISSION_DENIED; 42P01, 42703, 42704 and
 * 58P01 (undefined objects) NOT_FOUND; 42710, 42P07 ALREADY_EXISTS; other 42xxx, 22xxx, 23xxx
 * (integrity: NULL in a NOT NULL column), 21000 (cardinality), 2BP01 (an object others depend on),
 * 3F000, 54xxx (statement too complex) and 55000 INVALID_ARGUMENT; 57014 CANCELLED (TIMED_OUT when
 * the statement timeout cancelled it); 53xxx (resource limits) RESOURCE_EXHAUSTED; 40001 (a change
 * that conflicted with another: run it again) and 55006 (a materialized view another run holds)
 * UNAVAILABLE; 0A000 UNIMPLEMENTED; anything else INTERNAL. (PERMISSION_DENIED is Flight's
 * UNAUTHORIZED.)
 */
final class FlightErrors {
  /** Trailer key carrying the SQLSTATE of a failed call. */
  static final String SQLSTATE_KEY = "x-nql-sqlstate";

  /** SQLSTATE of a result stream that exceeded its memory limit (PostgreSQL's out_of_memory). */
  static final String OUT_OF_MEMORY = "53200";

  private static final Logger LOG = LoggerFactory.getLogger(FlightErrors.class);

  private FlightErrors() {}

  /** The status of any failure; unexpected ones are logged here and reported generically. */
  static FlightRuntimeException of(Throwable t) {
    if (t instanceof FlightRuntimeException f) {
      return f;
    }
    if (t instanceof NqlException e) {
      if (!e.code().isUserError()) {
        LOG.error("Statement failed: {}", e.getMessage(), e.getCause() != null ? e.getCause() : e);
      }
      return status(e.sqlState(), e.getMessage());
    }
    LOG.error("Unexpected failure in a Flight SQL call", t);
    return status("XX000", "Internal error; see the gateway log");
  }

  /** Runs a call that answers by returning; its failure is thrown as its status. */
  static <T> T guard(Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw of(e);
    }
  }

  /** A statement cancelled by the statement timeout: SQLSTATE 57014, status TIMED_OUT. */
  static FlightRuntimeException timedOut(String message) {
    ErrorFlightMetadata trailers = new ErrorFlightMetadata();
    trailers.insert(SQLSTATE_KEY, "57014");
    return new CallStatus(FlightStatusCode.TIMED_OUT, null, "57014: " + message, trailers)
        .toRuntimeException();
  }

  /** A status for a SQLSTATE and a one-line message. */
  static FlightRuntimeException status(String sqlState, String message) {
    ErrorFlightMetadata trailers = new ErrorFlightMetadata();
    trailers.insert(SQLSTATE_KEY, sqlState);
    return new CallStatus(code(sqlState), null, sqlState + ": " + message, trailers)
        .toRuntimeException();
  }

  static FlightStatusCode code(String sqlState) {
    String cls = sqlState.substring(0, 2);
    return switch (sqlState) {
      case "42501" -> FlightStatusCode.UNAUTHORIZED;
      case "42P01", "42703", "42704", "58P01" -> FlightStatusCode.NOT_FOUND;
      case "42710", "42P07" -> FlightStatusCode.ALREADY_EXISTS;
      case "57014" -> FlightStatusCode.CANCELLED;
      case "0A000" -> FlightStatusCode.UNIMPLEMENTED;
      case "55000" -> FlightStatusCode.INVALID_ARGUMENT;
      case "55006" -> FlightStatusCode.UNAVAILABLE; // in use by another run: try again later
      case "HV00N" -> FlightStatusCode.UNAVAILABLE; // an import's source cannot be reached
      default ->
          switch (cls) {
            case "28" -> FlightStatusCode.UNAUTHENTICATED;
            case "42", "22", "23", "21", "2B", "3F", "54", "HV" ->
                FlightStatusCode.INVALID_ARGUMENT;
            case "53" -> FlightStatusCode.RESOURCE_EXHAUSTED;
            case "40" -> FlightStatusCode.UNAVAILABLE; // a conflicting change: run it again
            default -> FlightStatusCode.INTERNAL;
          };
    };
  }
}
