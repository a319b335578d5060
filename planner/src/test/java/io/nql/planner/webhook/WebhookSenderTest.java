package io.nql.planner.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.testing.WebhookReceiver;
import io.nql.planner.testing.WebhookReceiver.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The sender against a real HTTP server: each kind of answer (or lack of one) is classified as
 * delivered, worth a retry or not, with a one-line, truncated message; redirects are not followed;
 * user information becomes Basic authentication and never reaches the request line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookSenderTest {
  private static final WebhookSettings SETTINGS =
      new WebhookSettings(
          Duration.ofSeconds(2),
          Duration.ofSeconds(3),
          Duration.ofSeconds(1),
          Duration.ofMinutes(1),
          Duration.ofMinutes(1),
          10);

  private WebhookReceiver receiver;
  private WebhookSender sender;

  @BeforeAll
  void start() throws Exception {
    receiver =
        WebhookReceiver.start(
            (path, headers, previous) -> Answer.valueOf(path.substring(1).toUpperCase()));
    sender = new WebhookSender(SETTINGS);
  }

  @AfterAll
  void stop() {
    sender.close();
    receiver.close();
  }

  private WebhookSender.Result post(String path) {
    return sender.post(
        WebhookUrl.parse(receiver.url(path)),
        "application/x-ndjson",
        Map.of("Idempotency-Key", "k-" + path),
        "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aTwoHundredIsDelivered() {
    WebhookSender.Result r = post("/ok");
    assertThat(r.outcome()).isEqualTo(WebhookSender.Outcome.DELIVERED);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.message()).isNull();
    WebhookReceiver.Request got = last("/ok");
    assertThat(got.text()).isEqualTo("{\"a\":1}\n");
    assertThat(got.header("content-type")).isEqualTo("application/x-ndjson");
    assertThat(got.key()).isEqualTo("k-/ok");
  }

  @Test
  void serverErrorsAndTooManyRequestsAreRetriedWithATruncatedOneLineMessage() {
    WebhookSender.Result r = post("/server_error");
    assertThat(r.outcome()).isEqualTo(WebhookSender.Outcome.RETRY);
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.message()).startsWith("HTTP 500: xxx").doesNotContain("\n");
    assertThat(r.message().length()).isLessThanOrEqualTo(WebhookSender.MESSAGE_CHARS);

    WebhookSender.Result tooMany = post("/too_many");
    assertThat(tooMany.outcome()).isEqualTo(WebhookSender.Outcome.RETRY);
    assertThat(tooMany.retryAfter()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void aDroppedConnectionOrALateAnswerIsRetried() {
    WebhookSender.Result dropped = post("/drop");
    assertThat(dropped.outcome()).isEqualTo(WebhookSender.Outcome.RETRY);
    assertThat(dropped.status()).isNull();
    assertThat(dropped.message()).startsWith("connection failed");

    WebhookSender.Result slow = post("/slow");
    assertThat(slow.outcome()).isEqualTo(WebhookSender.Outcome.RETRY);
    assertThat(slow.status()).isNull();
    assertThat(slow.message()).isEqualTo("no response within 3 s");
    assertThat(slow.millis()).isLessThan(WebhookReceiver.SLOW_MILLIS);
  }

  @Test
  void aClientErrorOrARedirectIsNotRetriedAndTheRedirectIsNotFollowed() {
    WebhookSender.Result bad = post("/bad_request");
    assertThat(bad.outcome()).isEqualTo(WebhookSender.Outcome.FAILED);
    assertThat(bad.message()).isEqualTo("HTTP 400: {\"error\":\"bad batch\"}");

    WebhookSender.Result moved = post("/redirect");
    assertThat(moved.outcome()).isEqualTo(WebhookSender.Outcome.FAILED);
    assertThat(moved.status()).isEqualTo(302);
    assertThat(moved.message()).contains("redirects are not followed");
    assertThat(receiver.requests()).noneMatch(q -> q.path().equals("/elsewhere"));
  }

  @Test
  void noListenerIsRetriedAsRefused() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    WebhookSender.Result r =
        sender.post(
            WebhookUrl.parse("http://127.0.0.1:" + port + "/x"),
            "text/csv",
            Map.of(),
            new byte[] {1});
    assertThat(r.outcome()).isEqualTo(WebhookSender.Outcome.RETRY);
    assertThat(r.message()).startsWith("conn");
  }

  @Test
  void userInformationIsSentAsBasicAuthenticationOnly() {
    String url = receiver.url("/ok").replace("http://", "http://hook%20user:p%40ss@") + "?t=1";
    sender.post(WebhookUrl.parse(url), "text/csv", Map.of("Idempotency-Key", "basic"), new byte[0]);
    WebhookReceiver.Request got =
        receiver.requests().stream().filter(q -> "basic".equals(q.key())).findFirst().orElseThrow();
    assertThat(got.header("authorization"))
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("hook user:p@ss".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void retryAfterReadsSecondsAndDates() {
    assertThat(WebhookSender.retryAfter("30")).isEqualTo(Duration.ofSeconds(30));
    assertThat(WebhookSender.retryAfter("-1")).isNull();
    assertThat(WebhookSender.retryAfter("soon")).isNull();
    assertThat(WebhookSender.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
  }

  private WebhookReceiver.Request last(String path) {
    return receiver.requests().stream()
        .filter(q -> q.path().equals(path))
        .reduce((a, b) -> b)
        .orElseThrow();
  }
}
