package io.nql.server.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.calcite.avatica.remote.JsonService;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;

/** Hand-made Avatica requests over plain HTTP, as a hostile client would send them. */
final class RawAvatica {
  private static final ProtobufTranslationImpl PROTOBUF = new ProtobufTranslationImpl();

  record Answer(int status, Service.Response response) {
    Service.ErrorResponse error() {
      return (Service.ErrorResponse) response;
    }
  }

  private RawAvatica() {}

  static Answer send(
      int port, Serialization serialization, String user, String password, Service.Request request)
      throws Exception {
    byte[] body =
        serialization == Serialization.JSON
            ? JsonService.MAPPER.writeValueAsBytes(request)
            : PROTOBUF.serializeRequest(request);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (user != null) {
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() == 401) {
      return new Answer(401, null);
    }
    Service.Response response =
        serialization == Serialization.JSON
            ? JsonService.MAPPER.readValue(r.body(), Service.Response.class)
            : PROTOBUF.parseResponse(r.body());
    return new Answer(r.statusCode(), response);
  }

  /** POST /cancel as a client would; returns the HTTP status. */
  static int cancel(int port, String user, String password, String connectionId) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cancel"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.ofString("connection_id=" + connectionId))
            .build();
    return HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
