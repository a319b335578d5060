package io.nql.server.gateway;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/** User and password of an HTTP {@code Authorization: Basic} header (UTF-8, RFC 7617). */
record BasicCredentials(String user, char[] password) {

  /** The credentials, or {@code null} when the header is missing or not well-formed Basic. */
  static BasicCredentials parse(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(header.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return null;
    }
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(raw));
      char[] all = new char[chars.remaining()];
      chars.get(all);
      int colon = -1;
      for (int i = 0; i < all.length; i++) {
        if (all[i] == ':') {
          colon = i;
          break;
        }
      }
      if (colon <= 0) {
        Arrays.fill(all, '\0');
        return null;
      }
      String user = new String(all, 0, colon);
      char[] password = Arrays.copyOfRange(all, colon + 1, all.length);
      Arrays.fill(all, '\0');
      return new BasicCredentials(user, password);
    } catch (CharacterCodingException e) {
      return null;
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  void clear() {
    Arrays.fill(password, '\0');
  }

  @Override
  public String toString() {
    return "BasicCredentials[user=" + user.toLowerCase(Locale.ROOT) + "]";
  }
}
