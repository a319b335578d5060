package io.nql.planner.webhook;

import java.time.Duration;

/**
 * How deliveries post and retry.
 *
 * @param connectTimeout longest wait for a connection to the receiver
 * @param responseTimeout longest wait, once connected, for the whole response (status, headers and
 *     the part of the body that is kept)
 * @param firstRetry the wait before a failed batch's second attempt; each next wait is twice the
 *     one before
 * @param maxRetry the longest wait between two attempts
 * @param lease how long a gateway holds a delivery it works on without renewing its claim; longer
 *     than a request can take ({@code connectTimeout + responseTimeout}), so that two gateways
 *     never post the same batch at once
 * @param batchesPerPass most batches one delivery sends in a pass, so that one large run does not
 *     hold up the other deliveries
 */
public record WebhookSettings(
    Duration connectTimeout,
    Duration responseTimeout,
    Duration firstRetry,
    Duration maxRetry,
    Duration lease,
    int batchesPerPass) {

  /** Connect within 10 s, answer within 30 s; retry after 5 s, doubling up to 10 min. */
  public static final WebhookSettings DEFAULT =
      new WebhookSettings(
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          Duration.ofMinutes(10),
          Duration.ofMinutes(5),
          100);

  public WebhookSettings {
    if (lease.compareTo(connectTimeout.plus(responseTimeout).multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "a delivery's lease must be at least twice the longest request");
    }
    if (batchesPerPass < 1) {
      throw new IllegalArgumentException("batchesPerPass must be positive");
    }
  }

  /**
   * The wait after a batch's {@code failures}-th failed attempt: {@code firstRetry × 2^(failures −
   * 1)}, at most {@code maxRetry}; at least what the receiver asked with {@code Retry-After}
   * (itself capped at {@code maxRetry}).
   *
   * @param retryAfter the receiver's {@code Retry-After}, or null
   */
  public Duration backoff(int failures, Duration retryAfter) {
    int doublings = Math.min(Math.max(0, failures - 1), 30);
    Duration wait = firstRetry.multipliedBy(1L << doublings);
    if (wait.compareTo(maxRetry) > 0 || wait.isNegative()) {
      wait = maxRetry;
    }
    if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
      wait = retryAfter.compareTo(maxRetry) > 0 ? maxRetry : retryAfter;
    }
    return wait;
  }
}
