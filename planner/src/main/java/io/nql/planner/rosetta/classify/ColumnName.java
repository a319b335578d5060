package io.nql.planner.rosetta.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A column name split into lowercase words ({@code EmailSHA256}, {@code email_sha256} and {@code
 * email-sha256} all give {@code email}, {@code sha256}), so that recognizers can weigh what it
 * says. A name is evidence, never proof.
 */
final class ColumnName {
  private final String raw;
  private final List<String> words;
  private final String compact;

  private ColumnName(String raw) {
    this.raw = raw;
    this.words = split(raw);
    this.compact = String.join("", words);
  }

  static ColumnName of(String raw) {
    return new ColumnName(raw);
  }

  /** The name as given. */
  String raw() {
    return raw;
  }

  /** The lowercase words, in order (a word's trailing digits also give the word without them). */
  List<String> words() {
    return words;
  }

  /**
   * The first of {@code hints} the name mentions, or null: a hint of four letters or more may be a
   * part of a word ({@code useremail} mentions {@code email}); a shorter one must be a whole word
   * ({@code ts}, {@code ip}, {@code age}: {@code page_views} does not mention {@code age}).
   */
  String mention(List<String> hints) {
    for (String hint : hints) {
      if (words.contains(hint) || (hint.length() >= 4 && compact.contains(hint))) {
        return hint;
      }
    }
    return null;
  }

  /** Whether the name mentions one of {@code hints} (see {@link #mention}). */
  boolean mentions(List<String> hints) {
    return mention(hints) != null;
  }

  /** The first of {@code hints} that is a whole word of the name, or null. */
  String word(List<String> hints) {
    for (String hint : hints) {
      if (words.contains(hint)) {
        return hint;
      }
    }
    return null;
  }

  private static List<String> split(String raw) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        flush(word, out);
        continue;
      }
      if (word.length() > 0 && Character.isUpperCase(c)) {
        char prev = raw.charAt(i - 1);
        boolean nextLower = i + 1 < raw.length() && Character.isLowerCase(raw.charAt(i + 1));
        // emailAddress → email|Address; EmailSHA256 → Email|SHA256; HTTPServer → HTTP|Server
        if (Character.isLowerCase(prev) || (Character.isUpperCase(prev) && nextLower)) {
          flush(word, out);
        }
      }
      word.append(c);
    }
    flush(word, out);
    return List.copyOf(out);
  }

  private static void flush(StringBuilder word, List<String> out) {
    if (word.length() == 0) {
      return;
    }
    String w = word.toString().toLowerCase(Locale.ROOT);
    out.add(w);
    String letters = w.replaceFirst("[0-9]+$", "");
    if (!letters.isEmpty() && !letters.equals(w) && !w.matches("(sha|md)[0-9]+|ipv[46]")) {
      out.add(letters);
    }
    word.setLength(0);
  }

  @Override
  public String toString() {
    return raw;
  }
}
