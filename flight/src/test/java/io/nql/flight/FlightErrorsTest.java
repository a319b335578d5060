package io.nql.flight;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.junit.jupiter.api.Test;

/** The SQLSTATE → Flight status mapping, and token expiry and revocation. */
class FlightErrorsTest {

  private static FlightRuntimeException map(ErrorCode code) {
    return FlightErrors.of(new NqlException(code, "Cannot do it: because"));
  }

  @Test
  void everyErrorCodeMapsToItsStatusWithTheSqlStateTwice() {
    assertThat(map(ErrorCode.INVALID_AUTHORIZATION).status().code())
        .isEqualTo(FlightStatusCode.UNAUTHENTICATED);
    assertThat(map(ErrorCode.INSUFFICIENT_PRIVILEGE).status().code())
        .isEqualTo(FlightStatusCode.UNAUTHORIZED);
    assertThat(map(ErrorCode.UNKNOWN_TABLE).status().code()).isEqualTo(FlightStatusCode.NOT_FOUND);
    assertThat(map(ErrorCode.UNKNOWN_COLUMN).status().code()).isEqualTo(FlightStatusCode.NOT_FOUND);
    assertThat(map(ErrorCode.DUPLICATE_TABLE).status().code())
        .isEqualTo(FlightStatusCode.ALREADY_EXISTS);
    assertThat(map(ErrorCode.SYNTAX_ERROR).status().code())
        .isEqualTo(FlightStatusCode.INVALID_ARGUMENT);
    assertThat(map(ErrorCode.DIVISION_BY_ZERO).status().code())
        .isEqualTo(FlightStatusCode.INVALID_ARGUMENT);
    assertThat(map(ErrorCode.DEPENDENT_OBJECTS_STILL_EXIST).status().code())
        .isEqualTo(FlightStatusCode.INVALID_ARGUMENT);
    assertThat(map(ErrorCode.QUERY_CANCELED).status().code()).isEqualTo(FlightStatusCode.CANCELLED);
    assertThat(map(ErrorCode.NOT_SUPPORTED).status().code())
        .isEqualTo(FlightStatusCode.UNIMPLEMENTED);
    assertThat(map(ErrorCode.INTERNAL_ERROR).status().code()).isEqualTo(FlightStatusCode.INTERNAL);
    assertThat(FlightErrors.status(FlightErrors.OUT_OF_MEMORY, "too big").status().code())
        .isEqualTo(FlightStatusCode.RESOURCE_EXHAUSTED);
    FlightRuntimeException e = map(ErrorCode.UNKNOWN_TABLE);
    assertThat(e.status().description()).isEqualTo("42P01: Cannot do it: because");
    assertThat(e.status().metadata().get(FlightErrors.SQLSTATE_KEY)).isEqualTo("42P01");
  }

  /**
   * A mistake of the caller is never INTERNAL: clients (ADBC, the Flight SQL JDBC driver) treat
   * INTERNAL as a server fault and some retry it. Every code, also the ones added later.
   */
  @Test
  void everyUserErrorCodeHasAStatusThatIsNotInternal() {
    for (ErrorCode code : ErrorCode.values()) {
      FlightStatusCode status = map(code).status().code();
      if (code.isUserError()) {
        assertThat(status)
            .as(code + " " + code.sqlState())
            .isNotIn(FlightStatusCode.INTERNAL, FlightStatusCode.UNKNOWN, FlightStatusCode.OK);
      } else if (code == ErrorCode.DISK_FULL) {
        // not the caller's mistake, nor a bug: the server is out of a resource, as for memory
        assertThat(status).isEqualTo(FlightStatusCode.RESOURCE_EXHAUSTED);
      } else {
        assertThat(status).as(code + " " + code.sqlState()).isEqualTo(FlightStatusCode.INTERNAL);
      }
      assertThat(map(code).status().metadata().get(FlightErrors.SQLSTATE_KEY))
          .isEqualTo(code.sqlState());
    }
  }

  @Test
  void unexpectedFailuresSayNothingAboutTheirClass() {
    FlightRuntimeException e = FlightErrors.of(new IllegalStateException("secret detail"));
    assertThat(e.status().code()).isEqualTo(FlightStatusCode.INTERNAL);
    assertThat(e.status().description())
        .isEqualTo("XX000: Internal error; see the gateway log")
        .doesNotContain("IllegalState")
        .doesNotContain("secret");
  }

  @Test
  void tokensExpireAndAreRevocable() {
    AtomicLong now = new AtomicLong(1_000);
    Tokens tokens = new Tokens(Duration.ofSeconds(10), now::get);
    String a = tokens.issue("acme_user");
    String b = tokens.issue("acme_user");
    assertThat(a).isNotEqualTo(b).hasSizeGreaterThanOrEqualTo(40);
    assertThat(tokens.user(a)).contains("acme_user");
    tokens.revoke(a);
    assertThat(tokens.user(a)).isEmpty();
    assertThat(tokens.user(b)).contains("acme_user");
    now.addAndGet(10_000);
    assertThat(tokens.user(b)).isEmpty();
    String c = tokens.issue("globex_user");
    tokens.revokeAll();
    assertThat(tokens.user(c)).isEmpty();
  }
}
