package io.nql.planner.policy.harness;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Distinctive values of the provider's data (in any world): texts, amounts with decimals, numbers
 * of five digits or more. An error or warning message that quotes one (and the statement does not)
 * carries a data value, which NQL.md §4 forbids whether or not the row is visible.
 */
public final class DataValues {
  private final Set<String> values = new TreeSet<>();

  public DataValues(Collection<WorldData> worlds) {
    for (WorldData w : worlds) {
      for (ProviderRow r : w.providerEvents()) {
        text(r.code());
        text(r.label());
        text(r.secret());
        number(r.big());
        number(r.hiddenNum());
        if (r.amount() != null && r.amount().scale() > 0) {
          values.add(r.amount().toPlainString());
        }
      }
    }
  }

  private void text(String s) {
    if (s != null && s.length() >= 2 && !s.chars().allMatch(Character::isDigit)) {
      values.add(s);
    }
  }

  private void number(Long n) {
    if (n != null && Math.abs(n) >= 10_000) {
      values.add(Long.toString(n));
    }
  }

  /** The values {@code message} quotes that neither the statement text nor its parameters hold. */
  public List<String> quotedIn(String message, HarnessStatement.Rendered statement) {
    if (message == null) {
      return List.of();
    }
    String lower = message;
    return values.stream()
        .filter(v -> occursAsToken(lower, v))
        .filter(v -> !statement.sql().contains(v))
        .filter(v -> statement.params().stream().noneMatch(p -> v.equals(text(p))))
        .toList();
  }

  private static String text(Object p) {
    return p instanceof BigDecimal d ? d.toPlainString() : String.valueOf(p);
  }

  private static boolean occursAsToken(String message, String value) {
    int from = 0;
    while (true) {
      int i = message.indexOf(value, from);
      if (i < 0) {
        return false;
      }
      int end = i + value.length();
      boolean before = i == 0 || !Character.isLetterOrDigit(message.charAt(i - 1));
      boolean after = end == message.length() || !Character.isLetterOrDigit(message.charAt(end));
      if (before && after) {
        return true;
      }
      from = i + 1;
    }
  }
}
