package io.nql.flight;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.RequestContext;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.apache.arrow.flight.grpc.RequestContextAdapter;
import org.apache.arrow.flight.grpc.StatusUtils;

/**
 * Authenticates every Flight call: {@code authorization: Basic …} credentials are checked with the
 * gateway's {@link PasswordCheck} and answered with a fresh {@code authorization: Bearer …} token
 * (the Flight SQL handshake); {@code authorization: Bearer …} must name a valid token. Anything
 * else ends the call with UNAUTHENTICATED and no detail.
 *
 * <p>A gRPC interceptor rather than Flight's {@code CallHeaderAuthenticator}: the login throttle
 * needs the client's address, which only the gRPC call carries. It runs inside Flight's middleware
 * adapter, so it records the user as the call's peer identity in Flight's request context, where
 * {@code CallContext.peerIdentity()} reads it.
 */
final class AuthInterceptor implements ServerInterceptor {
  /** Request-context key of the bearer token a call was authenticated with (for logout). */
  static final String TOKEN_KEY = "nql-bearer-token";

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final Metadata.Key<String> SQLSTATE =
      Metadata.Key.of(FlightErrors.SQLSTATE_KEY, Metadata.ASCII_STRING_MARSHALLER);

  private static final Metadata.Key<String> BUDGET =
      Metadata.Key.of(NqlFlightSqlProducer.BUDGET_HEADER, Metadata.ASCII_STRING_MARSHALLER);

  /** Checks the session properties a login carries; throws the engine's error when refused. */
  interface SessionCheck {
    void check(String user, String budgetUsd);
  }

  private final PasswordCheck passwords;
  private final Tokens tokens;
  private final SessionCheck sessionCheck;

  AuthInterceptor(PasswordCheck passwords, Tokens tokens, SessionCheck sessionCheck) {
    this.passwords = passwords;
    this.tokens = tokens;
    this.sessionCheck = sessionCheck;
  }

  private record Login(String user, String token, boolean issued) {}

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    RequestContext context = RequestContextAdapter.REQUEST_CONTEXT_KEY.get();
    Login login = context == null ? null : login(headers.get(AUTHORIZATION), address(call));
    if (login == null) {
      call.close(Status.UNAUTHENTICATED, new Metadata());
      return new ServerCall.Listener<>() {};
    }
    context.put(Auth2Constants.PEER_IDENTITY_KEY, login.user());
    context.put(TOKEN_KEY, login.token());
    if (!login.issued()) {
      return next.startCall(call, headers);
    }
    // A login with a session property the engine refuses (a negative budget) fails like opening
    // a JDBC connection with it: before any token is handed out.
    String budget = headers.get(BUDGET);
    if (budget != null) {
      try {
        sessionCheck.check(login.user(), budget);
      } catch (RuntimeException e) {
        tokens.revoke(login.token());
        CallStatus refused = FlightErrors.of(e).status();
        Metadata trailers = new Metadata();
        trailers.put(SQLSTATE, refused.metadata().get(FlightErrors.SQLSTATE_KEY));
        call.close(StatusUtils.toGrpcStatus(refused), trailers);
        return new ServerCall.Listener<>() {};
      }
    }
    String bearer = Auth2Constants.BEARER_PREFIX + login.token();
    return next.startCall(
        new SimpleForwardingServerCall<>(call) {
          private boolean sentHeaders;

          @Override
          public void sendHeaders(Metadata outgoing) {
            sentHeaders = true;
            outgoing.put(AUTHORIZATION, bearer);
            super.sendHeaders(outgoing);
          }

          @Override
          public void close(Status status, Metadata trailers) {
            // A call that ends before any header was sent carries its headers in the trailers.
            if (!sentHeaders && status.isOk()) {
              trailers.put(AUTHORIZATION, bearer);
            }
            super.close(status, trailers);
          }
        },
        headers);
  }

  private Login login(String header, String address) {
    if (header == null) {
      return null;
    }
    if (header.regionMatches(true, 0, Auth2Constants.BEARER_PREFIX, 0, 7)) {
      String token = header.substring(7).trim();
      Optional<String> user = tokens.user(token);
      return user.map(u -> new Login(u, token, false)).orElse(null);
    }
    BasicCredentials basic;
    try {
      basic = BasicCredentials.parse(header);
    } catch (IllegalArgumentException malformed) {
      return null;
    }
    if (basic == null) {
      return null;
    }
    try (basic) {
      if (!passwords.accept(basic.user(), basic.password(), address)) {
        return null;
      }
      return new Login(basic.user(), tokens.issue(basic.user()), true);
    }
  }

  private static String address(ServerCall<?, ?> call) {
    SocketAddress a = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (a instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return String.valueOf(a);
  }
}
