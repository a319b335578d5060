package io.nql.flight;

import io.nql.planner.engine.FrontEnd;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.SessionFactory;
import java.util.function.Function;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.CloseSessionResult;
import org.apache.arrow.flight.FlightConstants;
import org.apache.arrow.flight.FlightProducer.CallContext;
import org.apache.arrow.flight.FlightProducer.StreamListener;
import org.apache.arrow.flight.grpc.RequestContextAdapter;

/**
 * The caller of a Flight call and the engine sessions opened for it: a session of the authenticated
 * user with the call's session properties (the budget header), closed after the call unless a
 * statement's stream takes it over.
 */
final class CallSessions {
  private final SessionFactory sessions;
  private final Tokens tokens;
  private final StatementTimeouts timeouts;

  CallSessions(SessionFactory sessions, Tokens tokens, StatementTimeouts timeouts) {
    this.sessions = sessions;
    this.tokens = tokens;
    this.timeouts = timeouts;
  }

  /** The authenticated user of the call; UNAUTHENTICATED when there is none. */
  static String caller(CallContext context) {
    String user = context.peerIdentity();
    if (user == null || user.isEmpty()) {
      throw CallStatus.UNAUTHENTICATED.toRuntimeException();
    }
    return user;
  }

  /** A session of the caller with the call's session properties; the caller closes it. */
  NqlSession open(CallContext context) {
    NqlSession session = sessions.trusted(caller(context));
    try {
      session.frontEnd(FrontEnd.FLIGHT);
      var headers = context.getMiddleware(FlightConstants.HEADER_KEY);
      CallHeaders h = headers == null ? null : headers.headers();
      String budget = NqlFlightSqlProducer.BUDGET_HEADER;
      if (h != null && h.containsKey(budget)) {
        session.setProperty(budget, h.get(budget));
      }
      return session;
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** Opens and closes a session of {@code user} with this budget; throws when it is refused. */
  void check(String user, String budgetUsd) {
    try (NqlSession session = sessions.trusted(user)) {
      session.setProperty(NqlFlightSqlProducer.BUDGET_HEADER, budgetUsd);
    }
  }

  /** Runs work in a session of the caller opened for it. */
  <T> T withSession(CallContext context, Function<NqlSession, T> work) {
    try (NqlSession session = open(context)) {
      return work.apply(session);
    }
  }

  /**
   * Runs work in a session of the caller under the statement timeout; a client that abandons the
   * call (its deadline passes, it cancels or disconnects) cancels it too.
   */
  <T> T withDeadline(CallContext context, Function<NqlSession, T> work) {
    try (NqlSession session = open(context)) {
      StatementTimeouts.Deadline deadline = timeouts.start(session::cancel);
      try {
        return whileCalled(session, () -> work.apply(session));
      } catch (RuntimeException e) {
        throw deadline.error(e);
      } finally {
        deadline.end();
      }
    }
  }

  /**
   * Runs work for a call; a client that abandons the call (its deadline passes, it cancels or
   * disconnects) cancels the session's statement.
   */
  static <T> T whileCalled(NqlSession session, java.util.function.Supplier<T> work) {
    io.grpc.Context call = io.grpc.Context.current();
    io.grpc.Context.CancellationListener abandoned = c -> session.cancel();
    call.addListener(abandoned, Runnable::run);
    try {
      return work.get();
    } finally {
      call.removeListener(abandoned);
    }
  }

  /** Logout: revokes the bearer token the call came with. */
  void closeSession(CallContext context, StreamListener<CloseSessionResult> listener) {
    caller(context);
    var requestContext = RequestContextAdapter.REQUEST_CONTEXT_KEY.get();
    String token = requestContext == null ? null : requestContext.get(AuthInterceptor.TOKEN_KEY);
    if (token != null) {
      tokens.revoke(token);
    }
    listener.onNext(new CloseSessionResult(CloseSessionResult.Status.CLOSED));
    listener.onCompleted();
  }
}
