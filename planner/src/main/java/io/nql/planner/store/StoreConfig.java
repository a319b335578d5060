package io.nql.planner.store;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to reach the metadata database.
 *
 * @param url JDBC URL, {@code jdbc:h2:file:…} or {@code jdbc:postgresql://…}
 * @param user database user
 * @param password database password, may be empty
 */
public record StoreConfig(String url, String user, String password) {
  /**
   * An H2 file-system prefix ({@code file:}, {@code nio:}, {@code split:28:}), not a drive letter.
   */
  private static final Pattern H2_PREFIX = Pattern.compile("(?:[A-Za-z][A-Za-z0-9]+|[0-9]+):");

  public StoreConfig {
    Objects.requireNonNull(url, "url");
    user = user == null ? "" : user;
    password = password == null ? "" : password;
  }

  /** True for an embedded H2 database. */
  public boolean isEmbedded() {
    return url.startsWith("jdbc:h2:");
  }

  /**
   * The directory holding the database's files when it is an H2 file database (the embedded default
   * lives in {@code <warehouse>/metadata/}), so that {@code COPY INTO} can be kept out of it; empty
   * for in-memory and server databases.
   */
  public Optional<Path> localDirectory() {
    if (!isEmbedded()) {
      return Optional.empty();
    }
    String spec = url.substring("jdbc:h2:".length());
    int options = spec.indexOf(';');
    if (options >= 0) {
      spec = spec.substring(0, options);
    }
    if (spec.startsWith("mem:") || spec.startsWith("tcp:") || spec.startsWith("ssl:")) {
      return Optional.empty();
    }
    Matcher prefix = H2_PREFIX.matcher(spec);
    while (prefix.lookingAt()) {
      spec = spec.substring(prefix.end());
      prefix = H2_PREFIX.matcher(spec);
    }
    if (spec.startsWith("~")) {
      spec = System.getProperty("user.home") + spec.substring(1);
    }
    try {
      return Optional.ofNullable(Path.of(spec).toAbsolutePath().normalize().getParent());
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "StoreConfig[url=" + url + ", user=" + user + ", password=****]";
  }
}
