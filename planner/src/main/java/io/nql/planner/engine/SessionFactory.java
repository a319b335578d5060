package io.nql.planner.engine;

/** Opens sessions for front ends: by credentials, or trusted (in-process callers). */
public interface SessionFactory {

  /**
   * Opens a session after checking the user's password.
   *
   * @throws io.nql.planner.error.NqlException {@code INVALID_AUTHORIZATION} when the user does not
   *     exist or the password is wrong (the same error for both)
   */
  NqlSession login(String user, char[] password);

  /**
   * Opens a session as {@link #login(String, char[])}, for a front end that knows where the login
   * came from: the engine audits it (success or failure) with both.
   *
   * @param frontEnd {@code avatica} or {@code flight}
   * @param remote the client's address, or null
   */
  default NqlSession login(String user, char[] password, String frontEnd, String remote) {
    return login(user, password);
  }

  /**
   * Notes a login refused before its password was checked (the throttle): the engine audits it as a
   * failed login.
   */
  default void loginRefused(String user, String frontEnd, String remote) {}

  /**
   * Opens a session for a user without a password: for in-process callers that already own the
   * warehouse files (the command line, {@code jdbc:nql:embedded:}).
   *
   * @throws io.nql.planner.error.NqlException {@code INVALID_AUTHORIZATION} when the user does not
   *     exist
   */
  NqlSession trusted(String user);
}
