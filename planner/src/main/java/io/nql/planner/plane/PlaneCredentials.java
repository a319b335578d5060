package io.nql.planner.plane;

/**
 * A plane's credentials opened for use: only the code that connects holds one.
 *
 * @param url a {@code jdbc:postgresql://} URL, checked
 * @param user the database user
 * @param password the password
 */
public record PlaneCredentials(String url, String user, String password) {
  /** Never the password. */
  @Override
  public String toString() {
    return "PlaneCredentials[" + url + ", " + user + "]";
  }
}
