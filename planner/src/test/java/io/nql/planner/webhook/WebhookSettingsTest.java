package io.nql.planner.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The retry schedule: doubling waits up to a cap; a receiver's Retry-After within the cap. */
class WebhookSettingsTest {
  private final WebhookSettings s = WebhookSettings.DEFAULT;

  @Test
  void waitsDoubleUpToTheCap() {
    assertThat(s.backoff(1, null)).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.backoff(2, null)).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.backoff(4, null)).isEqualTo(Duration.ofSeconds(40));
    assertThat(s.backoff(8, null)).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.backoff(1000, null)).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void retryAfterLengthensAWaitWithinTheCap() {
    assertThat(s.backoff(1, Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(120));
    assertThat(s.backoff(8, Duration.ofSeconds(1))).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.backoff(1, Duration.ofDays(2))).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void aLeaseShorterThanTwoRequestsIsRefused() {
    assertThatThrownBy(
            () ->
                new WebhookSettings(
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(1),
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(60),
                    1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
