package io.nql.planner.rosetta.classify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Device operating systems ({@code iOS}, {@code Android 14}, {@code Windows 10}, {@code Mac OS X}),
 * mapped by a {@code CASE} of prefixes to {@code ios}, {@code android}, {@code windows}, {@code
 * macos}, {@code linux}, {@code other}.
 */
final class DeviceOperatingSystems implements Recognizer {
  static final String DEVICE_OS = "device_os";

  /** Canonical value → the prefixes (lower case) that name it, most specific first. */
  private static final Map<String, List<String>> PREFIXES = prefixes();

  private static final Set<String> CANONICAL =
      Set.of("ios", "android", "windows", "macos", "linux", "other");
  private static final List<String> HINTS =
      List.of("os", "platform", "operating_system", "device_os", "os_name", "osname", "system");

  @Override
  public List<String> attributes() {
    return List.of(DEVICE_OS);
  }

  @Override
  public List<Suggestion> recognize(ColumnProfile column, Dataset dataset) {
    if (!column.isText() || column.present() == 0 || column.distinct() > 60) {
      return List.of();
    }
    int matched = column.count(v -> family(v) != null);
    if ((double) matched / column.present() < 0.9) {
      return List.of();
    }
    Map<String, Boolean> seen = new LinkedHashMap<>();
    for (String v : column.counts().keySet()) {
      String f = family(v);
      if (f != null) {
        seen.put(f, true);
      }
    }
    Evidence e = new Evidence(0.8, column.evidence(matched, "name operating systems"));
    if (seen.size() == 1 && !seen.containsKey("ios") && !seen.containsKey("android")) {
      e.add(-0.2, "only one of them");
    }
    String hint = column.name().mention(HINTS);
    if (hint != null) {
      e.add(0.15, Evidence.nameMentions(hint));
    }
    String col = Expressions.column(column.sample().name());
    boolean canonical =
        column.counts().keySet().stream().allMatch(CANONICAL::contains)
            && !column.needsTrim()
            && !column.hasStrays(matched);
    List<String> families = PREFIXES.keySet().stream().filter(seen::containsKey).toList();
    String expression = canonical ? col : prefixCase(col, families);
    return List.of(e.suggest(column, DEVICE_OS, expression));
  }

  /** The canonical value a name of an OS starts with, or null. */
  static String family(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, List<String>> e : PREFIXES.entrySet()) {
      for (String p : e.getValue()) {
        if (v.startsWith(p)) {
          return e.getKey();
        }
      }
    }
    return null;
  }

  private static String prefixCase(String col, Iterable<String> families) {
    String lower = "LOWER(TRIM(" + col + "))";
    StringBuilder b = new StringBuilder("CASE");
    boolean other = false;
    for (String f : families) {
      if (f.equals("other")) {
        other = true;
        continue;
      }
      List<String> tests = new ArrayList<>();
      List<String> prefixes = PREFIXES.get(f);
      for (String p : prefixes) {
        // 'win%' covers 'windows%'
        if (prefixes.stream().noneMatch(q -> !q.equals(p) && p.startsWith(q))) {
          tests.add(lower + " LIKE " + Expressions.literal(p + "%"));
        }
      }
      b.append(" WHEN ").append(String.join(" OR ", tests)).append(" THEN '").append(f).append("'");
    }
    if (other) {
      b.append(" WHEN ").append(lower).append(" <> '' THEN 'other'");
    }
    return b.append(" END").toString();
  }

  private static Map<String, List<String>> prefixes() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("ios", List.of("ios", "iphone", "ipad", "ipados"));
    m.put("android", List.of("android"));
    m.put("windows", List.of("windows", "win"));
    m.put("macos", List.of("macos", "mac os", "macintosh", "os x", "osx", "mac"));
    m.put("linux", List.of("linux", "ubuntu", "debian", "fedora"));
    m.put(
        "other",
        List.of(
            "chrome os",
            "chromeos",
            "cros",
            "tvos",
            "watchos",
            "tizen",
            "webos",
            "roku",
            "fire os",
            "fireos",
            "kaios",
            "blackberry",
            "harmonyos",
            "playstation",
            "xbox",
            "other"));
    return m;
  }
}
