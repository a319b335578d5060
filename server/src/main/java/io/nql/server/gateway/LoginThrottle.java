package io.nql.server.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Slows password guessing: after a few free failures for a user (or many for a remote address),
 * each further failure locks that user (or address) out for an exponentially growing window,
 * capped. While locked, requests are refused without checking the password, so guesses made during
 * the window cost nothing and reveal nothing. A success clears the user's and the address's record.
 *
 * <p>A record is forgotten {@link #FORGET_AFTER_MILLIS} after its latest failure, which is always
 * after its lock ends, so forgetting never lifts a lock. Records are bounded by that expiry only,
 * not by a count: a size bound would let a flood of failures from many addresses evict a locked
 * user's record.
 */
final class LoginThrottle {
  static final int FREE_USER_FAILURES = 3;
  static final int FREE_ADDRESS_FAILURES = 20;
  static final long BASE_LOCK_MILLIS = 1_000;
  static final long MAX_LOCK_MILLIS = 60_000;
  static final long FORGET_AFTER_MILLIS = 15 * 60_000;

  private final LongSupplier clock;
  private final Cache<String, Failures> records;

  /** Failures since the record was last forgotten, and the end of the current lock. */
  private record Failures(int count, long lockedUntil) {}

  LoginThrottle(LongSupplier clockMillis) {
    this.clock = clockMillis;
    this.records =
        Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMillis(FORGET_AFTER_MILLIS))
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clockMillis.getAsLong()))
            .executor(Runnable::run)
            .build();
  }

  /** Whether the user or the address is locked out now. */
  boolean locked(String user, String address) {
    long now = clock.getAsLong();
    return lockedUntil("u:" + user) > now || lockedUntil("a:" + address) > now;
  }

  private long lockedUntil(String key) {
    Failures f = records.getIfPresent(key);
    return f == null ? 0 : f.lockedUntil();
  }

  /** Records a failed login. */
  void failure(String user, String address) {
    long now = clock.getAsLong();
    fail("u:" + user, FREE_USER_FAILURES, now);
    fail("a:" + address, FREE_ADDRESS_FAILURES, now);
  }

  private void fail(String key, int free, long now) {
    records
        .asMap()
        .compute(
            key,
            (k, f) -> {
              int count = f == null ? 1 : f.count() + 1;
              if (count <= free) {
                return new Failures(count, f == null ? 0 : f.lockedUntil());
              }
              int exponent = Math.min(count - free - 1, 20);
              return new Failures(
                  count, now + Math.min(BASE_LOCK_MILLIS << exponent, MAX_LOCK_MILLIS));
            });
  }

  /** Records a successful login: the user's and the address's failures are forgotten. */
  void success(String user, String address) {
    records.invalidate("u:" + user);
    records.invalidate("a:" + address);
  }
}
