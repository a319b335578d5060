package io.nql.server.gateway;

import java.util.concurrent.Callable;
import org.apache.calcite.avatica.remote.AuthenticationType;
import org.apache.calcite.avatica.server.AvaticaServerConfiguration;
import org.apache.calcite.avatica.server.RemoteUserExtractionException;
import org.apache.calcite.avatica.server.RemoteUserExtractor;

/**
 * Tells Avatica's handlers who the caller is: {@link AuthHandler} has already checked the
 * credentials and put the user in a request attribute; the handler runs each Meta call "as" that
 * user, which binds it to the thread for {@link OwnedMeta}.
 */
final class GatewayServerConfiguration implements AvaticaServerConfiguration {
  private static final RemoteUserExtractor EXTRACTOR =
      request -> {
        Object user = request.getAttribute(AuthHandler.USER_ATTRIBUTE);
        if (!(user instanceof String s)) {
          throw new RemoteUserExtractionException("Request is not authenticated");
        }
        return s;
      };

  @Override
  public AuthenticationType getAuthenticationType() {
    return AuthenticationType.CUSTOM;
  }

  @Override
  public String getKerberosRealm() {
    return null;
  }

  @Override
  public String getKerberosServiceName() {
    return null;
  }

  @Override
  public String getKerberosHostName() {
    return null;
  }

  @Override
  public String getKerberosPrincipal() {
    return null;
  }

  @Override
  public String[] getAllowedRoles() {
    return new String[0];
  }

  @Override
  public String getHashLoginServiceRealm() {
    return null;
  }

  @Override
  public String getHashLoginServiceProperties() {
    return null;
  }

  @Override
  public boolean supportsImpersonation() {
    return true;
  }

  @Override
  public <T> T doAsRemoteUser(String remoteUserName, String remoteAddress, Callable<T> action)
      throws Exception {
    return Caller.callAs(remoteUserName, action);
  }

  @Override
  public RemoteUserExtractor getRemoteUserExtractor() {
    return EXTRACTOR;
  }
}
