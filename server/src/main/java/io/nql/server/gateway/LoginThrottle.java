package io.nql.server.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows password guessing: after a few free failures for a user (or many for a remote address),
 * each further failure locks that user (or address) out for an exponentially growing window,
 * capped. While locked, requests are refused without checking the password, so guesses made during
 * the window cost nothing and reveal nothing. A success clears the user's and the address's record.
 */
final class LoginThrottle {
  static final int FREE_USER_FAILURES = 3;
  static final int FREE_ADDRESS_FAILURES = 20;
  static final long BASE_LOCK_MILLIS = 1_000;
  static final long MAX_LOCK_MILLIS = 60_000;
  private static final long FORGET_AFTER_MILLIS = 15 * 60_000;
  private static final int PRUNE_ABOVE = 10_000;

  private final LongSupplier clock;
  private final Map<String, Record> records = new ConcurrentHashMap<>();

  private static final class Record {
    int failures;
    long lockedUntil;
    long lastFailure;
  }

  LoginThrottle(LongSupplier clockMillis) {
    this.clock = clockMillis;
  }

  /** Whether the user or the address is locked out now. */
  boolean locked(String user, String address) {
    long now = clock.getAsLong();
    return lockedUntil("u:" + user) > now || lockedUntil("a:" + address) > now;
  }

  private long lockedUntil(String key) {
    Record r = records.get(key);
    if (r == null) {
      return 0;
    }
    synchronized (r) {
      return r.lockedUntil;
    }
  }

  /** Records a failed login. */
  void failure(String user, String address) {
    long now = clock.getAsLong();
    fail("u:" + user, FREE_USER_FAILURES, now);
    fail("a:" + address, FREE_ADDRESS_FAILURES, now);
    if (records.size() > PRUNE_ABOVE) {
      records
          .entrySet()
          .removeIf(
              e -> {
                synchronized (e.getValue()) {
                  return e.getValue().lastFailure + FORGET_AFTER_MILLIS < now
                      && e.getValue().lockedUntil < now;
                }
              });
    }
  }

  private void fail(String key, int free, long now) {
    Record r = records.computeIfAbsent(key, k -> new Record());
    synchronized (r) {
      if (r.lastFailure + FORGET_AFTER_MILLIS < now) {
        r.failures = 0;
      }
      r.failures++;
      r.lastFailure = now;
      if (r.failures > free) {
        int exponent = Math.min(r.failures - free - 1, 20);
        r.lockedUntil = now + Math.min(BASE_LOCK_MILLIS << exponent, MAX_LOCK_MILLIS);
      }
    }
  }

  /** Records a successful login: the user's and the address's failures are forgotten. */
  void success(String user, String address) {
    records.remove("u:" + user);
    records.remove("a:" + address);
  }
}
