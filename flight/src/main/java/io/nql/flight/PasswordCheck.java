package io.nql.flight;

/**
 * Checks a user's password for the Flight endpoint. The gateway supplies its throttled
 * authenticator, so both endpoints share one login policy (and the flight module does not depend on
 * the server).
 */
@FunctionalInterface
public interface PasswordCheck {

  /**
   * Whether the password is right and the login allowed now.
   *
   * @param user the user name
   * @param password the password; the caller wipes it afterwards
   * @param remoteAddress the client's address, for throttling
   * @return true to accept the login; false to refuse it (wrong credentials or throttled)
   */
  boolean accept(String user, char[] password, String remoteAddress);
}
