package io.nql.flight;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Bearer tokens of logged-in users: random, opaque, bound to one user, valid for a fixed lifetime
 * from the login that issued them, and revocable one by one or all at once. Expired tokens are
 * dropped by the cache's own expiry (on the caller's thread, timed by the given clock).
 */
final class Tokens {
  private final SecureRandom random = new SecureRandom();
  private final Cache<String, String> users;

  Tokens(Duration ttl, LongSupplier clockMillis) {
    this.users =
        Caffeine.newBuilder()
            .expireAfterWrite(ttl)
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clockMillis.getAsLong()))
            .executor(Runnable::run)
            .build();
  }

  /** A new token for the user. */
  String issue(String user) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    users.put(token, user);
    return token;
  }

  /** The user of a valid token; empty when unknown, expired or revoked. */
  Optional<String> user(String token) {
    return Optional.ofNullable(users.getIfPresent(token));
  }

  /** Revokes one token; unknown tokens are ignored. */
  void revoke(String token) {
    users.invalidate(token);
  }

  /** Revokes every token (the endpoint is stopping). */
  void revokeAll() {
    users.invalidateAll();
  }
}
