package io.nql.planner.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * A webhook's URL as a delivery keeps it: {@code http} or {@code https}, a host, no fragment. User
 * information ({@code https://user:secret@host/…}) is not sent in the URL but as HTTP Basic
 * authentication; it and the query string may hold secrets, so {@link #redacted} hides both.
 */
public final class WebhookUrl {
  /** Longest URL accepted. */
  public static final int MAX_LENGTH = 2000;

  private final String text;
  private final URI target;
  private final String host;
  private final @org.checkerframework.checker.nullness.qual.Nullable String authorization;

  private WebhookUrl(String text, URI target, String host, String authorization) {
    this.text = text;
    this.target = target;
    this.host = host;
    this.authorization = authorization;
  }

  /**
   * Reads a URL.
   *
   * @throws IllegalArgumentException with a one-line reason (never echoing the URL, which may hold
   *     a secret) when it is not an http or https URL with a host
   */
  public static WebhookUrl parse(String text) {
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a webhook URL has at most " + MAX_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("it is not a well-formed URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("only http and https URLs are allowed");
    }
    if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
      // URI leaves the host null when it has characters a host name may not have ('_')
      throw new IllegalArgumentException("the URL has no valid host name");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException("a webhook URL has no fragment ('#…')");
    }
    String authorization = null;
    if (uri.getRawUserInfo() != null) {
      String info = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
      authorization =
          "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8));
    }
    URI target;
    try {
      target =
          new URI(
              scheme
                  + "://"
                  + uri.getRawAuthority().substring(uri.getRawAuthority().lastIndexOf('@') + 1)
                  + (uri.getRawPath() == null || uri.getRawPath().isEmpty()
                      ? "/"
                      : uri.getRawPath())
                  + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("it is not a well-formed URL");
    }
    return new WebhookUrl(text, target, hostOf(target), authorization);
  }

  /** A URI's host in lower case, without the brackets of an IPv6 literal or a trailing dot. */
  static String hostOf(URI uri) {
    String h = uri.getHost().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /** The URL as given (kept in the metadata store; never shown). */
  public String text() {
    return text;
  }

  /** Where requests go: the URL without user information and fragment. */
  public URI target() {
    return target;
  }

  /** The host, lower case, IPv6 literals without brackets. */
  public String host() {
    return host;
  }

  /** The port requests go to (the scheme's default when the URL names none). */
  public int port() {
    return target.getPort() >= 0 ? target.getPort() : target.getScheme().equals("https") ? 443 : 80;
  }

  /** The {@code Authorization} header the URL's user information makes, if it has any. */
  public Optional<String> authorization() {
    return Optional.ofNullable(authorization);
  }

  /**
   * The URL to show: scheme, host, port and path; user information and query string replaced by
   * {@code ***}.
   */
  public String redacted() {
    StringBuilder b = new StringBuilder(target.getScheme()).append("://");
    if (authorization != null) {
      b.append("***@");
    }
    b.append(target.getRawAuthority()).append(target.getRawPath());
    if (target.getRawQuery() != null) {
      b.append("?***");
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return redacted();
  }
}
