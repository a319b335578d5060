package io.nql.planner.ingest;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns column names found in files into lower snake_case identifiers.
 *
 * <p>The rule, applied to each name:
 *
 * <ol>
 *   <li>trim; strip accents (Unicode NFD, combining marks removed: {@code Café → Cafe});
 *   <li>split camelCase: an upper-case letter that follows a lower-case letter or digit gets an
 *       underscore before it ({@code userId → user_Id});
 *   <li>lower-case; every run of characters other than {@code a-z}, {@code 0-9} and {@code _}
 *       becomes one {@code _}; repeated underscores collapse; leading and trailing ones are
 *       removed;
 *   <li>a name that starts with a digit gets a leading {@code _}; an empty name becomes {@code
 *       column_<n>} (n = 1-based position).
 * </ol>
 *
 * <p>Duplicates (after normalization) are disambiguated left to right: the first keeps the name,
 * later ones get {@code _2}, {@code _3}, … — the smallest suffix not used by any other column.
 */
public final class ColumnNames {
  private ColumnNames() {}

  /** The identifier for one name at 1-based {@code position}, without disambiguation. */
  public static String normalize(String raw, int position) {
    String s = Normalizer.normalize(raw.trim(), Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    StringBuilder out = new StringBuilder(s.length() + 4);
    char prev = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isUpperCase(c) && (Character.isLowerCase(prev) || Character.isDigit(prev))) {
        out.append('_');
      }
      out.append(c);
      prev = c;
    }
    String name =
        out.toString()
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9_]+", "_")
            .replaceAll("_+", "_")
            .replaceAll("^_|_$", "");
    if (name.isEmpty()) {
      return "column_" + position;
    }
    return Character.isDigit(name.charAt(0)) ? "_" + name : name;
  }

  /** Normalizes every name and disambiguates duplicates (see the class comment). */
  public static List<String> normalizeAll(List<String> raw) {
    List<String> base = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      base.add(normalize(raw.get(i), i + 1));
    }
    Set<String> taken = new HashSet<>(base);
    Set<String> assigned = new HashSet<>();
    List<String> result = new ArrayList<>(raw.size());
    for (String name : base) {
      String chosen = name;
      if (!assigned.add(name)) {
        int n = 2;
        while (taken.contains(name + "_" + n)) {
          n++;
        }
        chosen = name + "_" + n;
        taken.add(chosen);
        assigned.add(chosen);
      }
      result.add(chosen);
    }
    return result;
  }

  /** Generated names {@code column_1..column_n} for files without a header. */
  public static List<String> generated(int count) {
    List<String> names = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      names.add("column_" + i);
    }
    return names;
  }
}
