package io.nql.planner.rosetta.classify;

import java.util.List;
import java.util.Map;

/**
 * Hex digests of e-mail addresses: the hex length decides the hash (64 SHA-256, 40 SHA-1, 32 MD5).
 * A digest could be of anything, so the name weighs: an e-mail or hash word adds, a word naming
 * another thing (transaction, file, phone...) caps. Thirty-two hex digits with a UUID's version and
 * variant digits are an undashed UUID, not MD5.
 */
final class HashedEmails implements Recognizer {
  static final String SHA256 = "sha256_hashed_email";
  static final String SHA1 = "sha1_hashed_email";
  static final String MD5 = "md5_hashed_email";

  private static final List<Integer> LENGTHS = List.of(64, 40, 32);
  private static final Map<Integer, String> BY_LENGTH = Map.of(64, SHA256, 40, SHA1, 32, MD5);
  private static final Map<Integer, String> KIND = Map.of(64, "SHA-256", 40, "SHA-1", 32, "MD5");

  private static final List<String> EMAIL_HINTS =
      List.of("email", "mail", "em", "hem", "emails", "e_mail");
  private static final List<String> HASH_HINTS =
      List.of("sha256", "sha2", "sha1", "md5", "sha", "hash", "hashed", "digest");
  private static final List<String> OTHER_HINTS =
      List.of(
          "phone",
          "tel",
          "mobile",
          "msisdn",
          "maid",
          "idfa",
          "gaid",
          "device",
          "ip",
          "address",
          "name",
          "transaction",
          "txn",
          "tx",
          "order",
          "block",
          "commit",
          "file",
          "checksum",
          "content",
          "etag",
          "token",
          "session",
          "cookie",
          "password",
          "pwd",
          "secret",
          "key",
          "signature",
          "url",
          "image",
          "request",
          "trace",
          "nonce",
          "salt",
          "user",
          "customer",
          "account",
          "household");

  @Override
  public List<String> attributes() {
    return List.of(SHA256, SHA1, MD5);
  }

  @Override
  public List<Suggestion> recognize(ColumnProfile column, Dataset dataset) {
    if (!column.isText() || column.present() == 0) {
      return List.of();
    }
    int length = 0;
    int matched = 0;
    for (int l : LENGTHS) {
      int n = column.count(v -> v.length() == l && isHex(v));
      if (n > matched) {
        matched = n;
        length = l;
      }
    }
    double share = (double) matched / column.present();
    if (share < 0.9) {
      return List.of();
    }
    int l = length;
    if (l == 32 && column.share(v -> v.length() == 32 && looksLikeUuid(v)) >= 0.8) {
      return List.of(); // random UUIDs without dashes
    }
    Evidence e =
        new Evidence(
            l == 32 ? 0.5 : 0.7,
            column.evidence(matched, "are " + l + "-digit hex (" + KIND.get(l) + ")"));
    ColumnName name = column.name();
    String email = name.mention(EMAIL_HINTS);
    String hash = name.mention(HASH_HINTS);
    String other = name.mention(OTHER_HINTS);
    if (email != null) {
      e.add(0.25, Evidence.nameMentions(email));
    } else if (other != null) {
      e.cap(0.3, "but the name mentions \"" + other + "\": a digest of something else");
    } else if (hash != null) {
      e.add(l == 32 ? 0.2 : 0.1, Evidence.nameMentions(hash));
    }
    if (column.present() >= 100 && column.distinctRatio() < 0.05) {
      e.add(-0.2, "few distinct values for identifiers");
    }
    String expression = expression(column, matched, l);
    return List.of(e.suggest(column, BY_LENGTH.get(l), expression));
  }

  private static String expression(ColumnProfile column, int matched, int length) {
    String col = Expressions.column(column.sample().name());
    boolean strays = column.hasStrays(matched);
    if (!column.hasUpperCase() && !column.needsTrim() && !strays) {
      return col;
    }
    String lower = "LOWER(TRIM(" + col + "))";
    return strays ? Expressions.guarded(lower, "[0-9a-f]{" + length + "}", lower) : lower;
  }

  static boolean isHex(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return !v.isEmpty();
  }

  /** Version 4 and the RFC 4122 variant where a UUID has them (digits 13 and 17). */
  private static boolean looksLikeUuid(String v) {
    char variant = Character.toLowerCase(v.charAt(16));
    return v.charAt(12) == '4'
        && (variant == '8' || variant == '9' || variant == 'a' || variant == 'b');
  }
}
