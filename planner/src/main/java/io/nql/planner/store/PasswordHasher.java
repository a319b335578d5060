package io.nql.planner.store;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes passwords with PBKDF2-HMAC-SHA256 and a random salt, encoded as {@code
 * pbkdf2-sha256$<iterations>$<base64 salt>$<base64 hash>}.
 *
 * <p>Verification reads the iteration count from the stored string, so raising {@link
 * #DEFAULT_ITERATIONS} later keeps old hashes valid. Comparison is constant-time.
 */
public final class PasswordHasher {
  /** Iterations for new hashes (OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256). */
  public static final int DEFAULT_ITERATIONS = 210_000;

  private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  private static final String PREFIX = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final int MAX_ITERATIONS = 10_000_000;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] GENERATED_ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

  private PasswordHasher() {}

  /**
   * Hashes a password with a fresh salt.
   *
   * @param password the password; not retained
   * @return the encoded hash
   */
  public static String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return encode(DEFAULT_ITERATIONS, salt, derive(password, salt, DEFAULT_ITERATIONS));
  }

  /**
   * Checks a password against an encoded hash, in time that does not depend on where they differ.
   *
   * @param password the candidate password
   * @param encoded a string produced by {@link #hash(char[])}
   * @return true when the password matches; false when it does not or {@code encoded} is malformed
   */
  public static boolean verify(char[] password, String encoded) {
    String[] parts = encoded == null ? new String[0] : encoded.split("\\$", -1);
    if (parts.length != 4 || !PREFIX.equals(parts[0])) {
      return false;
    }
    int iterations;
    byte[] salt;
    byte[] expected;
    try {
      iterations = Integer.parseInt(parts[1]);
      salt = Base64.getDecoder().decode(parts[2]);
      expected = Base64.getDecoder().decode(parts[3]);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS || salt.length == 0) {
      return false;
    }
    byte[] actual = derive(password, salt, iterations);
    boolean empty = password == null || password.length == 0;
    return MessageDigest.isEqual(actual, expected) & !empty;
  }

  /**
   * A well-formed hash that no password matches, with the default cost: verifying against it takes
   * as long as verifying a real password, which hides whether a user exists.
   */
  public static String unmatchableHash() {
    byte[] salt = new byte[SALT_BYTES];
    byte[] hash = new byte[HASH_BITS / 8];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(hash);
    return encode(DEFAULT_ITERATIONS, salt, hash);
  }

  private static String encode(int iterations, byte[] salt, byte[] hash) {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX
        + "$"
        + iterations
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(hash);
  }

  /** A random password of {@code length} letters and digits (ambiguous characters left out). */
  public static String generatePassword(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(GENERATED_ALPHABET[RANDOM.nextInt(GENERATED_ALPHABET.length)]);
    }
    return sb.toString();
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    // The JDK refuses an empty key; derive from a one-character stand-in so an empty password
    // costs the same time (verify() then refuses it whatever the result).
    char[] input = password == null || password.length == 0 ? new char[] {'\0'} : password;
    PBEKeySpec spec = new PBEKeySpec(input, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new NqlException(
          ErrorCode.INTERNAL_ERROR, "Cannot hash password: PBKDF2 is not available", e);
    } finally {
      spec.clearPassword();
    }
  }
}
