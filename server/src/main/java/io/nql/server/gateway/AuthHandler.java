package io.nql.server.gateway;

import io.nql.flight.BasicCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;

/**
 * Front door of every HTTP request: checks HTTP Basic credentials against the user store (with
 * throttling; on a TLS port, plaintext requests get 426 before anything else), answers 401 without
 * detail when they are missing or wrong, then routes {@code POST /cancel} to {@link CancelEndpoint}
 * and {@code POST /} to Avatica's handler with the user set as a request attribute.
 */
final class AuthHandler extends HandlerWrapper {
  static final String USER_ATTRIBUTE = "io.nql.gateway.user";
  private static final String CHALLENGE = "Basic realm=\"NQL Gateway\", charset=\"UTF-8\"";

  private final boolean tlsOnly;
  private final Authenticator authenticator;
  private final CancelEndpoint cancel;
  private final WarningsEndpoint warnings;
  private final AtomicInteger inFlight = new AtomicInteger();

  AuthHandler(
      boolean tlsOnly,
      Authenticator authenticator,
      CancelEndpoint cancel,
      WarningsEndpoint warnings) {
    this.warnings = warnings;
    this.tlsOnly = tlsOnly;
    this.authenticator = authenticator;
    this.cancel = cancel;
  }

  /** Requests being served now. */
  int inFlight() {
    return inFlight.get();
  }

  @Override
  public void handle(
      String target, Request base, HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    inFlight.incrementAndGet();
    try {
      if (tlsOnly && !request.isSecure()) {
        base.setHandled(true);
        response.setStatus(426);
        response.setHeader("Connection", "close");
        response.setContentType("text/plain;charset=utf-8");
        response
            .getOutputStream()
            .write("This port requires TLS\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String user = authenticate(request);
      if (user == null) {
        refuse(base, response);
        return;
      }
      request.setAttribute(USER_ATTRIBUTE, user);
      if (target.equals(CancelEndpoint.PATH)) {
        cancel.handle(user, base, request, response);
      } else if (target.equals(WarningsEndpoint.PATH)) {
        warnings.handle(user, base, request, response);
      } else if (target.equals("/") || target.isEmpty()) {
        super.handle(target, base, request, response);
      } else {
        base.setHandled(true);
        response.sendError(HttpServletResponse.SC_NOT_FOUND);
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private String authenticate(HttpServletRequest request) {
    BasicCredentials c;
    try {
      c = BasicCredentials.parse(request.getHeader("Authorization"));
    } catch (IllegalArgumentException malformed) {
      // Refused like missing credentials: no password was checked, so no failed login either.
      return null;
    }
    if (c == null) {
      // No credentials: the client's first, unauthenticated try; not a failed login.
      return null;
    }
    String address = request.getRemoteAddr();
    try (c) {
      Authenticator.Outcome outcome =
          authenticator.authenticate(c.user(), c.password(), address, "avatica");
      if (outcome == Authenticator.Outcome.OK) {
        return c.user();
      }
      GatewayLog.warn(
          "auth_failure",
          "user",
          c.user(),
          "remote",
          address,
          "reason",
          outcome == Authenticator.Outcome.LOCKED ? "throttled" : "wrong_credentials");
      return null;
    }
  }

  private static void refuse(Request base, HttpServletResponse response) throws IOException {
    base.setHandled(true);
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader("WWW-Authenticate", CHALLENGE);
    response.setContentType("text/plain;charset=utf-8");
    response.getOutputStream().write("Authentication required\n".getBytes(StandardCharsets.UTF_8));
  }
}
