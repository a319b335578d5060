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
   * Opens a session for a user without a password: for in-process callers that already own the
   * warehouse files (the command line, {@code jdbc:nql:embedded:}).
   *
   * @throws io.nql.planner.error.NqlException {@code INVALID_AUTHORIZATION} when the user does not
   *     exist
   */
  NqlSession trusted(String user);
}
