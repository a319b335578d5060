package io.nql.planner.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts the operator lets deliveries post to ({@code nql serve --webhook-hosts}): a
 * comma-separated list of
 *
 * <ul>
 *   <li>{@code public} — any host all of whose addresses are public (not loopback, private,
 *       link-local, unique-local, carrier-grade NAT, multicast or unspecified): the default;
 *   <li>a host name ({@code hooks.example.com}), {@code *.example.com} for any host below a domain
 *       (not the domain itself), or an IP address ({@code 10.0.0.7}, {@code [fd00::7]}), each
 *       optionally with {@code :port} — allowed whatever its addresses;
 * </ul>
 *
 * or {@code none}: no webhooks at all. The check is made when a delivery is created and again
 * before each request, so a host the operator removes is refused from then on; a host that resolves
 * to a private address between the check and the connection (DNS rebinding) is not caught: list the
 * allowed hosts for strict control.
 */
public final class WebhookHosts {
  /** The default: public hosts only. */
  public static final String DEFAULT = "public";

  private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?");

  private record Entry(String host, boolean subdomains, int port) {
    boolean matches(String h, int p) {
      if (port >= 0 && port != p) {
        return false;
      }
      return subdomains ? h.endsWith("." + host) : h.equals(host);
    }
  }

  /** What the policy says of a host. */
  public enum Verdict {
    ALLOWED,
    REFUSED,
    /** The host did not resolve (now): refused at creation, retried at delivery. */
    UNRESOLVED
  }

  private final String text;
  private final boolean publicHosts;
  private final List<Entry> entries;

  private WebhookHosts(String text, boolean publicHosts, List<Entry> entries) {
    this.text = text;
    this.publicHosts = publicHosts;
    this.entries = List.copyOf(entries);
  }

  /**
   * Reads a policy.
   *
   * @throws IllegalArgumentException naming the entry that is not {@code public}, {@code none}, a
   *     host pattern or an address
   */
  public static WebhookHosts parse(String text) {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    if (trimmed.equals("none")) {
      return new WebhookHosts("none", false, List.of());
    }
    boolean publicHosts = false;
    List<Entry> entries = new ArrayList<>();
    for (String raw : trimmed.split(",")) {
      String e = raw.trim();
      if (e.equals("public")) {
        publicHosts = true;
        continue;
      }
      if (e.isEmpty()) {
        continue;
      }
      entries.add(entry(e));
    }
    if (!publicHosts && entries.isEmpty()) {
      throw new IllegalArgumentException(
          "'" + text + "' names no host; use 'none' to allow no webhooks");
    }
    return new WebhookHosts(trimmed, publicHosts, entries);
  }

  private static Entry entry(String e) {
    String host = e;
    int port = -1;
    if (e.startsWith("[")) {
      int close = e.indexOf(']');
      if (close < 0 || (close + 1 < e.length() && e.charAt(close + 1) != ':')) {
        throw new IllegalArgumentException("'" + e + "' is not a valid IPv6 address");
      }
      host = e.substring(1, close);
      if (close + 1 < e.length()) {
        port = port(e, e.substring(close + 2));
      }
    } else if (e.indexOf(':') >= 0 && e.indexOf(':') == e.lastIndexOf(':')) {
      host = e.substring(0, e.indexOf(':'));
      port = port(e, e.substring(e.indexOf(':') + 1));
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    boolean ipv6 = host.contains(":");
    if (!ipv6 && !HOST.matcher(host).matches()) {
      throw new IllegalArgumentException(
          "'" + e + "' is not 'public', 'none', a host name, *.domain or an IP address");
    }
    if (ipv6) {
      host = canonicalIpv6(e, host);
    }
    boolean subdomains = host.startsWith("*.");
    return new Entry(subdomains ? host.substring(2) : host, subdomains, port);
  }

  private static int port(String entry, String digits) {
    try {
      int port = Integer.parseInt(digits);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException x) {
      // refused below
    }
    throw new IllegalArgumentException("'" + entry + "' has no valid port");
  }

  private static String canonicalIpv6(String entry, String host) {
    if (!host.matches("[0-9a-f:.]+")) {
      throw new IllegalArgumentException("'" + entry + "' is not a valid IPv6 address");
    }
    try {
      return InetAddress.getByName(host).getHostAddress(); // a literal: no lookup
    } catch (UnknownHostException x) {
      throw new IllegalArgumentException("'" + entry + "' is not a valid IPv6 address");
    }
  }

  /** The policy as configured (lower case). */
  @Override
  public String toString() {
    return text;
  }

  /** Whether the policy allows no webhook at all. */
  public boolean none() {
    return !publicHosts && entries.isEmpty();
  }

  /**
   * Whether a request may go to {@code url}: a listed host is allowed; otherwise, under {@code
   * public}, the host's addresses are looked up and must all be public.
   */
  public Verdict check(WebhookUrl url) {
    String host = url.host();
    if (host.contains(":")) {
      try {
        host = InetAddress.getByName(host).getHostAddress(); // as entries keep IPv6 literals
      } catch (UnknownHostException e) {
        return Verdict.REFUSED;
      }
    }
    for (Entry e : entries) {
      if (e.matches(host, url.port())) {
        return Verdict.ALLOWED;
      }
    }
    if (!publicHosts) {
      return Verdict.REFUSED;
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(url.host());
    } catch (UnknownHostException e) {
      return Verdict.UNRESOLVED;
    }
    for (InetAddress a : addresses) {
      if (!isPublic(a)) {
        return Verdict.REFUSED;
      }
    }
    return addresses.length == 0 ? Verdict.UNRESOLVED : Verdict.ALLOWED;
  }

  /**
   * Whether an address is one the open internet routes to this gateway's peers: not the machine
   * itself, not a private or shared network, not link-local (cloud metadata endpoints live there),
   * not multicast, reserved or unspecified.
   */
  static boolean isPublic(InetAddress a) {
    if (a.isAnyLocalAddress()
        || a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return false;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      return isPublicIpv4(b);
    }
    if (a instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {
        return false; // unique local fc00::/7
      }
      if (first == 0 && isZero(b, 1, 10) && isZero(b, 10, 12)) {
        // ::/96 (IPv4-compatible) and ::ffff:0:0/96 (IPv4-mapped) carry an IPv4 address
        return isPublicIpv4(new byte[] {b[12], b[13], b[14], b[15]});
      }
      if (first == 0 && isZero(b, 1, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        return isPublicIpv4(new byte[] {b[12], b[13], b[14], b[15]});
      }
      if (first == 0x20 && (b[1] & 0xff) == 0x02) {
        // 6to4 2002::/16 embeds an IPv4 address in bits 16..48
        return isPublicIpv4(new byte[] {b[2], b[3], b[4], b[5]});
      }
      if (first == 0x01 && b[1] == 0 && isZero(b, 2, 8)) {
        return false; // discard-only 100::/64
      }
      return true;
    }
    return false;
  }

  private static boolean isPublicIpv4(byte[] b) {
    int o1 = b[0] & 0xff;
    int o2 = b[1] & 0xff;
    return !(o1 == 0 // "this" network
        || o1 == 10
        || o1 == 127
        || (o1 == 100 && o2 >= 64 && o2 < 128) // carrier-grade NAT
        || (o1 == 169 && o2 == 254)
        || (o1 == 172 && o2 >= 16 && o2 < 32)
        || (o1 == 192 && o2 == 168)
        || (o1 == 192 && o2 == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
        || (o1 == 198 && (o2 == 18 || o2 == 19)) // benchmarking
        || o1 >= 224); // multicast, reserved, broadcast
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
