package io.nql.planner.vector;

/**
 * Compares UTF-8 strings in the order of {@link String#compareTo} (UTF-16 code units), which is the
 * order the row engine uses: byte order is code point order, and the two differ only between a
 * supplementary character and a BMP character above U+D7FF.
 */
final class Utf8Order {
  private Utf8Order() {}

  static int compare(byte[] a, byte[] b) {
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      if (a[i] != b[i]) {
        int start = i;
        while (start > 0 && (a[start] & 0xC0) == 0x80) {
          start--;
        }
        return compareCodePoints(decode(a, start), decode(b, start));
      }
    }
    return Integer.compare(a.length, b.length);
  }

  private static int compareCodePoints(int ca, int cb) {
    int ua = ca < 0x10000 ? ca : 0xD800 + ((ca - 0x10000) >> 10);
    int ub = cb < 0x10000 ? cb : 0xD800 + ((cb - 0x10000) >> 10);
    if (ua != ub) {
      return Integer.compare(ua, ub);
    }
    return Integer.compare(ca, cb);
  }

  private static int decode(byte[] s, int i) {
    int b = s[i] & 0xFF;
    if (b < 0x80) {
      return b;
    }
    if (b < 0xE0) {
      return ((b & 0x1F) << 6) | (s[i + 1] & 0x3F);
    }
    if (b < 0xF0) {
      return ((b & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
    }
    return ((b & 0x07) << 18)
        | ((s[i + 1] & 0x3F) << 12)
        | ((s[i + 2] & 0x3F) << 6)
        | (s[i + 3] & 0x3F);
  }
}
