package io.nql.server.gateway;

import io.nql.planner.engine.FrontEnd;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.SessionFactory;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;

/**
 * The session factory the gateway's Meta opens sessions with: a session only for the user who
 * authenticated the current HTTP request ({@link AuthHandler} checked the password), never for a
 * user named in connection properties, and never a trusted one.
 */
final class CallerSessions implements SessionFactory {
  private final NqlEngine engine;

  CallerSessions(NqlEngine engine) {
    this.engine = engine;
  }

  @Override
  public NqlSession login(String user, char[] password) {
    String caller = Caller.current();
    if (caller == null || !caller.equals(user)) {
      throw new NqlException(
          ErrorCode.INVALID_AUTHORIZATION, "Cannot connect: wrong user name or password");
    }
    NqlSession session = engine.trusted(caller);
    session.frontEnd(FrontEnd.JDBC);
    return session;
  }

  @Override
  public NqlSession trusted(String user) {
    throw new NqlException(
        ErrorCode.INVALID_AUTHORIZATION, "Cannot connect: wrong user name or password");
  }
}
