package io.nql.flight;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Bearer tokens of logged-in users: random, opaque, bound to one user, valid for a fixed lifetime
 * from the login that issued them, and revocable one by one or all at once.
 */
final class Tokens {
  private record Entry(String user, long expiresAt) {}

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Entry> tokens = new ConcurrentHashMap<>();
  private final long ttlMillis;
  private final LongSupplier clock;

  Tokens(Duration ttl, LongSupplier clockMillis) {
    this.ttlMillis = ttl.toMillis();
    this.clock = clockMillis;
  }

  /** A new token for the user. */
  String issue(String user) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    long now = clock.getAsLong();
    tokens.put(token, new Entry(user, now + ttlMillis));
    if (tokens.size() % 256 == 0) {
      prune(now);
    }
    return token;
  }

  /** The user of a valid token; empty when unknown, expired or revoked. */
  Optional<String> user(String token) {
    Entry e = tokens.get(token);
    if (e == null) {
      return Optional.empty();
    }
    if (e.expiresAt() <= clock.getAsLong()) {
      tokens.remove(token, e);
      return Optional.empty();
    }
    return Optional.of(e.user());
  }

  /** Revokes one token; unknown tokens are ignored. */
  void revoke(String token) {
    tokens.remove(token);
  }

  /** Revokes every token (the endpoint is stopping). */
  void revokeAll() {
    tokens.clear();
  }

  /** Tokens currently valid or not yet pruned. */
  int size() {
    return tokens.size();
  }

  private void prune(long now) {
    tokens.values().removeIf(e -> e.expiresAt() <= now);
  }
}
