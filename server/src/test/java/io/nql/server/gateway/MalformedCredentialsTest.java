package io.nql.server.gateway;

import static io.nql.server.gateway.FlightClients.fails;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.FlightCallHeaders;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.HeaderCallOption;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/**
 * Both endpoints refuse malformed Basic credentials (bad base64, not UTF-8, no colon, empty user)
 * like missing ones: HTTP 401 with the challenge, Flight UNAUTHENTICATED without detail. They share
 * one decoder, {@link io.nql.flight.BasicCredentials}; its own test asserts each reason.
 */
class MalformedCredentialsTest {
  private static final List<String> MALFORMED =
      List.of(
          "Basic not*base64!",
          "Basic " + Base64.getEncoder().encodeToString(new byte[] {'u', ':', (byte) 0xC3}),
          "Basic " + base64("acme_user" + TestWarehouse.ACME_PW),
          "Basic " + base64(":" + TestWarehouse.ACME_PW),
          "Basic ");

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void bothEndpointsRefuseThemLikeMissingCredentials() throws Exception {
    try (Gateway gateway = Gateway.start(TestWarehouse.config().build());
        BufferAllocator allocator = new RootAllocator();
        FlightClient raw = FlightClients.client(allocator, gateway.flightPort());
        FlightSqlClient sql = new FlightSqlClient(raw)) {
      HttpClient http = HttpClient.newHttpClient();
      for (String header : MALFORMED) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.jdbcPort() + "/"))
                    .header("Authorization", header)
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(header).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElse(""))
            .as(header)
            .startsWith("Basic realm=");
        assertThat(r.body()).isEqualTo("Authentication required\n");

        CallHeaders h = new FlightCallHeaders();
        h.insert("authorization", header);
        var e =
            fails(
                () -> sql.getCatalogs(new HeaderCallOption(h)),
                FlightStatusCode.UNAUTHENTICATED,
                null);
        assertThat(e.status().description()).as(header).isNullOrEmpty();
      }
    }
  }
}
