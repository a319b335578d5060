package io.nql.server.gateway;

import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.SessionFactory;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Checks a user name and password against the engine's user store, with {@link LoginThrottle}
 * against guessing. HTTP Basic sends the credentials on every request, and the store's password
 * hash is deliberately slow, so a successful check is remembered for a short while as a salted
 * digest of the password (never the password itself).
 */
final class Authenticator {
  /** How long a verified password is accepted without asking the store again. */
  static final long REMEMBER_MILLIS = 60_000;

  enum Outcome {
    OK,
    WRONG_CREDENTIALS,
    LOCKED
  }

  private record Remembered(byte[] digest, long until) {}

  private final SessionFactory users;
  private final LoginThrottle throttle;
  private final LongSupplier clock;
  private final byte[] salt = new byte[16];
  private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

  Authenticator(SessionFactory users, LoginThrottle throttle, LongSupplier clockMillis) {
    this.users = users;
    this.throttle = throttle;
    this.clock = clockMillis;
    new SecureRandom().nextBytes(salt);
  }

  /**
   * Checks the credentials of one request from {@code address} through {@code frontEnd} ({@code
   * avatica} or {@code flight}). Every password check, and every attempt the throttle refuses, is
   * an audited login; a request accepted from memory is not a new login.
   */
  Outcome authenticate(String user, char[] password, String address, String frontEnd) {
    if (throttle.locked(user, address)) {
      users.loginRefused(user, frontEnd, address);
      return Outcome.LOCKED;
    }
    byte[] digest = digest(user, password);
    Remembered r = remembered.get(user);
    long now = clock.getAsLong();
    if (r != null && r.until() > now && MessageDigest.isEqual(r.digest(), digest)) {
      return Outcome.OK;
    }
    try (NqlSession ignored = users.login(user, password, frontEnd, address)) {
      remembered.put(user, new Remembered(digest, now + REMEMBER_MILLIS));
      throttle.success(user, address);
      return Outcome.OK;
    } catch (NqlException e) {
      if (e.code() != ErrorCode.INVALID_AUTHORIZATION) {
        throw e;
      }
      remembered.remove(user);
      throttle.failure(user, address);
      return Outcome.WRONG_CREDENTIALS;
    }
  }

  private byte[] digest(String user, char[] password) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(salt);
      md.update(user.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
      md.update(bytes.duplicate());
      if (bytes.hasArray()) {
        Arrays.fill(bytes.array(), (byte) 0);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
