package io.nql.planner.webhook;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Posts request bodies to webhooks with the JDK's HTTP client: HTTP/1.1, no redirect followed, a
 * connect timeout and a response timeout, at most {@link #EXCERPT_BYTES} of a response body read
 * (the rest discarded), and every failure classified as one to retry or one that retrying will not
 * mend. Thread-safe; close it to stop its threads.
 */
public final class WebhookSender implements AutoCloseable {
  /** Bytes of a response body kept for the delivery log. */
  static final int EXCERPT_BYTES = 1024;

  /** Characters of a response body or error shown in the delivery log. */
  public static final int MESSAGE_CHARS = 200;

  /** How an attempt ended. */
  public enum Outcome {
    /** A 2xx answer: the receiver has the batch. */
    DELIVERED,
    /** 408, 429, 5xx, no connection, no answer in time: worth another attempt later. */
    RETRY,
    /** Any other answer (3xx, 4xx): retrying the same request would fail the same way. */
    FAILED
  }

  /**
   * What one request got.
   *
   * @param status the HTTP status, or null when no answer came
   * @param retryAfter the wait the receiver asked for ({@code Retry-After}), or null
   * @param message for a failure, one line: the status and the start of the body, or why no answer
   *     came; null when delivered
   * @param millis how long the request took
   */
  public record Result(
      Outcome outcome,
      @Nullable Integer status,
      @Nullable Duration retryAfter,
      @Nullable String message,
      long millis) {}

  private final WebhookSettings settings;
  private final ExecutorService threads;
  private final HttpClient client;

  public WebhookSender(WebhookSettings settings) {
    this.settings = settings;
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "nql-webhook-http");
              t.setDaemon(true);
              return t;
            });
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(settings.connectTimeout())
            .executor(threads)
            .build();
  }

  /**
   * Posts {@code body} to {@code url} with {@code headers} (and the URL's Basic authentication,
   * when it has user information), waiting at most the connect plus the response timeout.
   */
  public Result post(WebhookUrl url, String contentType, Map<String, String> headers, byte[] body) {
    long start = System.nanoTime();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url.target())
            .timeout(settings.responseTimeout())
            .header("Content-Type", contentType)
            .header("User-Agent", "nql-gateway")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    url.authorization().ifPresent(a -> request.header("Authorization", a));
    headers.forEach(request::header);
    CompletableFuture<HttpResponse<byte[]>> sent =
        client.sendAsync(request.build(), info -> excerpt());
    Result r = send(sent, start);
    String message = r.message();
    if (message != null && url.target().getRawQuery() != null) {
      // an exception's text may quote the request's URI: its query string may hold a secret
      message = message.replace(url.target().getRawQuery(), "***");
    }
    return new Result(r.outcome(), r.status(), r.retryAfter(), message, r.millis());
  }

  private Result send(CompletableFuture<HttpResponse<byte[]>> sent, long start) {
    try {
      HttpResponse<byte[]> response =
          sent.get(
              settings.connectTimeout().plus(settings.responseTimeout()).toMillis(),
              TimeUnit.MILLISECONDS);
      return classify(response, millisSince(start));
    } catch (TimeoutException e) {
      sent.cancel(true);
      return retry("no response within " + seconds(settings.responseTimeout()), start);
    } catch (InterruptedException e) {
      sent.cancel(true);
      Thread.currentThread().interrupt();
      return retry("the gateway stopped during the request", start);
    } catch (ExecutionException e) {
      return retry(why(e.getCause()), start);
    }
  }

  private static Result retry(String message, long start) {
    return new Result(Outcome.RETRY, null, null, message, millisSince(start));
  }

  private Result classify(HttpResponse<byte[]> response, long millis) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Result(Outcome.DELIVERED, status, null, null, millis);
    }
    String body = oneLine(new String(response.body(), StandardCharsets.UTF_8));
    String message = oneLine("HTTP " + status + (body.isEmpty() ? "" : ": " + body));
    if (status >= 300 && status < 400) {
      message = "HTTP " + status + ": redirected; redirects are not followed (use the final URL)";
    }
    boolean retry = status == 408 || status == 429 || status >= 500;
    Duration after =
        retry ? retryAfter(response.headers().firstValue("Retry-After").orElse(null)) : null;
    return new Result(retry ? Outcome.RETRY : Outcome.FAILED, status, after, message, millis);
  }

  /** A {@code Retry-After} value: delta-seconds or an HTTP date; null when absent or unreadable. */
  static @Nullable Duration retryAfter(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      try {
        Duration d =
            Duration.between(
                java.time.Instant.now(),
                ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (java.time.format.DateTimeParseException ignored) {
        return null;
      }
    }
  }

  /** Why a request got no answer, in words (no exception class names). */
  private String why(Throwable e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "no connection within " + seconds(settings.connectTimeout());
    }
    if (e instanceof HttpTimeoutException) {
      return "no response within " + seconds(settings.responseTimeout());
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof IOException) {
      String m = e.getMessage();
      return "connection failed" + (m == null || m.isBlank() ? "" : ": " + oneLine(m));
    }
    return "request failed";
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Text made one printable line of at most {@link #MESSAGE_CHARS} characters. */
  public static String oneLine(String text) {
    StringBuilder b = new StringBuilder();
    text.strip().codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    String s = b.toString().replaceAll(" {2,}", " ");
    return s.length() <= MESSAGE_CHARS ? s : s.substring(0, MESSAGE_CHARS - 1) + "…";
  }

  /** A body subscriber that keeps the first {@link #EXCERPT_BYTES} bytes and drops the rest. */
  private static HttpResponse.BodySubscriber<byte[]> excerpt() {
    byte[] kept = new byte[EXCERPT_BYTES];
    int[] length = {0};
    Flow.Subscriber<List<ByteBuffer>> keep =
        new Flow.Subscriber<>() {
          @Override
          public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
              int n = Math.min(b.remaining(), EXCERPT_BYTES - length[0]);
              b.get(kept, length[0], n);
              length[0] += n;
            }
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onComplete() {}
        };
    return HttpResponse.BodySubscribers.fromSubscriber(
        keep, s -> java.util.Arrays.copyOf(kept, length[0]));
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
