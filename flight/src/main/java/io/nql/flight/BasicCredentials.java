package io.nql.flight;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * User and password of an {@code Authorization: Basic} header (RFC 7617, UTF-8): the one decoder of
 * both endpoints, the gateway's HTTP front door and {@link AuthInterceptor} (this module is the
 * lower of the two). The password is a {@code char[]} that {@link #close} wipes; the decoded bytes
 * are wiped as soon as they are read.
 */
public final class BasicCredentials implements AutoCloseable {
  private static final String SCHEME = "Basic ";

  private final String user;
  private final char[] password;

  private BasicCredentials(String user, char[] password) {
    this.user = user;
    this.password = password;
  }

  /**
   * The credentials of a header.
   *
   * @param header the {@code Authorization} header's value, or null when there is none
   * @return the credentials; null when there is no header or it names another scheme (such as
   *     {@code Bearer})
   * @throws IllegalArgumentException when the header is Basic but not well-formed: not base64, not
   *     UTF-8, no colon between user and password, or an empty user
   */
  public static BasicCredentials parse(String header) {
    if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return null;
    }
    char[] all = decode(header.substring(SCHEME.length()).trim());
    try {
      int colon = indexOf(all, ':');
      if (colon < 0) {
        throw malformed("no colon between user and password");
      }
      if (colon == 0) {
        throw malformed("empty user");
      }
      return new BasicCredentials(
          new String(all, 0, colon), Arrays.copyOfRange(all, colon + 1, all.length));
    } finally {
      Arrays.fill(all, '\0');
    }
  }

  private static char[] decode(String base64) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw malformed("not base64");
    }
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(raw));
      char[] out = new char[chars.remaining()];
      chars.get(out);
      if (chars.hasArray()) {
        Arrays.fill(chars.array(), '\0');
      }
      return out;
    } catch (CharacterCodingException e) {
      throw malformed("not UTF-8");
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  private static IllegalArgumentException malformed(String reason) {
    return new IllegalArgumentException("Cannot read Basic credentials: " + reason);
  }

  private static int indexOf(char[] chars, char c) {
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /** The user name, as sent (not empty). */
  public String user() {
    return user;
  }

  /** The password (may be empty); wiped by {@link #close}. */
  public char[] password() {
    return password;
  }

  /** Wipes the password. */
  @Override
  public void close() {
    Arrays.fill(password, '\0');
  }

  @Override
  public String toString() {
    return "BasicCredentials[user=" + user.toLowerCase(Locale.ROOT) + "]";
  }
}
