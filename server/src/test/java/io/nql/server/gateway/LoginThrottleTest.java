package io.nql.server.gateway;

import static io.nql.server.gateway.LoginThrottle.BASE_LOCK_MILLIS;
import static io.nql.server.gateway.LoginThrottle.FORGET_AFTER_MILLIS;
import static io.nql.server.gateway.LoginThrottle.FREE_ADDRESS_FAILURES;
import static io.nql.server.gateway.LoginThrottle.FREE_USER_FAILURES;
import static io.nql.server.gateway.LoginThrottle.MAX_LOCK_MILLIS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The throttle's windows, on a clock the test moves. */
class LoginThrottleTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final LoginThrottle throttle = new LoginThrottle(now::get);

  private void fail(String user, String address, int times) {
    for (int i = 0; i < times; i++) {
      throttle.failure(user, address);
    }
  }

  @Test
  void freeFailuresThenGrowingLocks() {
    fail("u", "10.0.0.1", FREE_USER_FAILURES);
    assertThat(throttle.locked("u", "10.0.0.1")).isFalse();
    fail("u", "10.0.0.1", 1);
    assertThat(throttle.locked("u", "10.0.0.2")).as("the user, from anywhere").isTrue();
    assertThat(throttle.locked("v", "10.0.0.1")).as("not the address yet").isFalse();
    now.addAndGet(BASE_LOCK_MILLIS);
    assertThat(throttle.locked("u", "10.0.0.1")).isFalse();
    fail("u", "10.0.0.1", 1);
    now.addAndGet(BASE_LOCK_MILLIS);
    assertThat(throttle.locked("u", "10.0.0.1")).as("twice as long").isTrue();
    now.addAndGet(BASE_LOCK_MILLIS);
    assertThat(throttle.locked("u", "10.0.0.1")).isFalse();
  }

  @Test
  void locksAreCappedAndForgotten() {
    fail("u", "10.0.0.1", FREE_USER_FAILURES + 30);
    now.addAndGet(MAX_LOCK_MILLIS - 1);
    assertThat(throttle.locked("u", "10.0.0.1")).isTrue();
    now.addAndGet(1);
    assertThat(throttle.locked("u", "10.0.0.1")).isFalse();
    // Long after the latest failure, the count starts again: the next failures are free.
    now.addAndGet(FORGET_AFTER_MILLIS);
    fail("u", "10.0.0.2", FREE_USER_FAILURES);
    assertThat(throttle.locked("u", "10.0.0.2")).isFalse();
  }

  @Test
  void manyUsersFromOneAddressLockTheAddress() {
    for (int i = 0; i <= FREE_ADDRESS_FAILURES; i++) {
      throttle.failure("user" + i, "10.0.0.9");
    }
    assertThat(throttle.locked("someone_else", "10.0.0.9")).isTrue();
    assertThat(throttle.locked("someone_else", "10.0.0.8")).isFalse();
  }

  @Test
  void successForgetsTheUserAndTheAddress() {
    fail("u", "10.0.0.1", FREE_USER_FAILURES + 1);
    assertThat(throttle.locked("u", "10.0.0.1")).isTrue();
    throttle.success("u", "10.0.0.1");
    assertThat(throttle.locked("u", "10.0.0.1")).isFalse();
    fail("u", "10.0.0.1", FREE_USER_FAILURES);
    assertThat(throttle.locked("u", "10.0.0.1")).as("the count started again").isFalse();
  }
}
