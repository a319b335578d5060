package io.nql.planner.rosetta.classify;

import java.util.List;
import java.util.regex.Pattern;

/**
 * IPv4 addresses in dotted-decimal form and IPv6 addresses. Four-part version numbers ({@code
 * 10.2.1.0}) have the IPv4 shape: a version word in the name rules them out, and addresses must
 * look like addresses (octets above 31 in a fair share of them).
 */
final class IpAddresses implements Recognizer {
  static final String IP_ADDRESS = "ip_address";

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");
  private static final List<String> HINTS =
      List.of("ip", "ipv4", "ipv6", "ip_address", "ipaddress", "ipaddr", "remote_addr", "addr");
  private static final List<String> OTHER_HINTS =
      List.of("version", "ver", "build", "release", "sdk", "oid", "semver", "revision", "rev");

  @Override
  public List<String> attributes() {
    return List.of(IP_ADDRESS);
  }

  @Override
  public List<Suggestion> recognize(ColumnProfile column, Dataset dataset) {
    if (!column.isText() || column.present() == 0) {
      return List.of();
    }
    int v4 = column.count(v -> IPV4.matcher(v).matches());
    int v6 = column.count(IpAddresses::isIpv6);
    int matched = v4 + v6;
    if ((double) matched / column.present() < 0.9) {
      return List.of();
    }
    String what =
        v6 == 0 ? "IPv4 addresses" : v4 == 0 ? "IPv6 addresses" : "IPv4 or IPv6 addresses";
    Evidence e = new Evidence(0.9, column.evidence(matched, "are " + what));
    String other = column.name().mention(OTHER_HINTS);
    String hint = column.name().mention(HINTS);
    if (other != null) {
      e.cap(0.2, "but the name mentions \"" + other + "\"");
    } else if (hint != null) {
      e.add(0.07, Evidence.nameMentions(hint));
    }
    if (v4 > v6) {
      int wide = column.count(v -> IPV4.matcher(v).matches() && hasOctetAbove(v, 31));
      if ((double) wide / v4 < 0.3) {
        e.cap(0.4, "but their parts are small, as in version numbers");
      }
    }
    return List.of(e.suggest(column, IP_ADDRESS, expression(column, matched, v6 > 0)));
  }

  private static String expression(ColumnProfile column, int matched, boolean hasV6) {
    String col = Expressions.column(column.sample().name());
    boolean upper = hasV6 && column.hasUpperCase();
    String clean = upper ? "LOWER(TRIM(" + col + "))" : "TRIM(" + col + ")";
    if (column.hasStrays(matched)) {
      return Expressions.guarded(clean, "[0-9.]{7,15}|[0-9a-f:.]*:[0-9a-f:.]+", clean);
    }
    return upper || column.needsTrim() ? clean : col;
  }

  private static boolean hasOctetAbove(String v, int limit) {
    for (String part : v.split("\\.")) {
      if (Integer.parseInt(part) > limit) {
        return true;
      }
    }
    return false;
  }

  /** An IPv6 address: up to eight hex groups, one {@code ::}, an optional IPv4 tail. */
  static boolean isIpv6(String v) {
    if (v.indexOf(':') < 0 || v.length() > 45) {
      return false;
    }
    String s = v;
    int groupsAllowed = 8;
    int lastColon = s.lastIndexOf(':');
    String tail = s.substring(lastColon + 1);
    if (tail.contains(".")) {
      if (!IPV4.matcher(tail).matches()) {
        return false;
      }
      s = s.substring(0, lastColon + 1) + "0";
      groupsAllowed = 7;
    }
    int doubleColon = s.indexOf("::");
    if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    String[] halves =
        doubleColon >= 0
            ? new String[] {s.substring(0, doubleColon), s.substring(doubleColon + 2)}
            : new String[] {s};
    int groups = 0;
    for (String half : halves) {
      if (half.isEmpty()) {
        continue;
      }
      for (String g : half.split(":", -1)) {
        if (!HEX_GROUP.matcher(g).matches()) {
          return false;
        }
        groups++;
      }
    }
    return doubleColon >= 0 ? groups < groupsAllowed : groups == groupsAllowed;
  }
}
