package io.nql.jdbc;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.calcite.avatica.ConnectionConfig;

/**
 * Cancels a statement running on the gateway: Avatica has no cancel call, so the gateway offers
 * {@code POST /cancel} (form fields {@code connection_id}, {@code statement_id}) on the same port,
 * authenticated the same way; see docs/clients/jdbc.md. Sent on its own HTTP connection because the
 * statement's thread is blocked in its own request.
 */
final class RemoteCancel {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private RemoteCancel() {}

  /**
   * Asks the gateway to stop the statement; returns whether one was running.
   *
   * @throws SQLException when the gateway cannot be reached or refuses the request
   */
  static boolean cancel(ConnectionConfig config, String connectionId, int statementId)
      throws SQLException {
    try {
      String body =
          "connection_id="
              + URLEncoder.encode(connectionId, StandardCharsets.UTF_8)
              + "&statement_id="
              + statementId;
      HttpResponse<String> response =
          send(
              config,
              HttpRequest.newBuilder(URI.create(stripSlash(config.url()) + "/cancel"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(body)));
      return switch (response.statusCode()) {
        case 200 -> GatewayJson.cancelled(response.body());
        case 401 -> throw new SQLException("Cannot cancel: authentication failed", "28000");
        case 404 -> false;
        default ->
            throw new SQLException(
                "Cannot cancel: the gateway answered HTTP " + response.statusCode(), "08006");
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("Cannot cancel: interrupted", "57014", e);
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw new SQLException("Cannot cancel: " + e.getMessage(), "08006", e);
    }
  }

  /**
   * The warnings of a statement's latest execution, from the gateway's {@code GET /warnings}, as
   * {sqlState, message} pairs; empty when the gateway has none or cannot answer.
   */
  static java.util.List<String[]> warnings(
      ConnectionConfig config, String connectionId, int statementId) {
    try {
      HttpResponse<String> response =
          send(
              config,
              HttpRequest.newBuilder(
                      URI.create(
                          stripSlash(config.url())
                              + "/warnings?connection_id="
                              + URLEncoder.encode(connectionId, StandardCharsets.UTF_8)
                              + "&statement_id="
                              + statementId))
                  .GET());
      if (response.statusCode() != 200) {
        return java.util.List.of();
      }
      return GatewayJson.warnings(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.List.of();
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      return java.util.List.of();
    }
  }

  private static HttpResponse<String> send(ConnectionConfig config, HttpRequest.Builder request)
      throws java.io.IOException, java.security.GeneralSecurityException, InterruptedException {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(TIMEOUT);
    if (config.url().startsWith("https:") && config.truststore() != null) {
      b.sslContext(sslContext(config));
    }
    request.timeout(TIMEOUT);
    if (config.avaticaUser() != null) {
      String token = config.avaticaUser() + ":" + nullToEmpty(config.avaticaPassword());
      request.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
    }
    return b.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static SSLContext sslContext(ConnectionConfig config)
      throws java.io.IOException, java.security.GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    char[] pw =
        config.truststorePassword() == null ? null : config.truststorePassword().toCharArray();
    try (InputStream in = Files.newInputStream(config.truststore().toPath())) {
      trust.load(in, pw);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
