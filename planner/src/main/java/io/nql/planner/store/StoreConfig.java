package io.nql.planner.store;

import java.util.Objects;

/**
 * How to reach the metadata database.
 *
 * @param url JDBC URL, {@code jdbc:h2:file:…} or {@code jdbc:postgresql://…}
 * @param user database user
 * @param password database password, may be empty
 */
public record StoreConfig(String url, String user, String password) {
  public StoreConfig {
    Objects.requireNonNull(url, "url");
    user = user == null ? "" : user;
    password = password == null ? "" : password;
  }

  /** True for an embedded H2 database. */
  public boolean isEmbedded() {
    return url.startsWith("jdbc:h2:");
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "StoreConfig[url=" + url + ", user=" + user + ", password=****]";
  }
}
