package io.nql.planner.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Webhook URLs: http and https with a host only; secrets in them never shown. */
class WebhookUrlTest {
  @Test
  void userInformationAndQueryStringAreRedacted() {
    WebhookUrl u = WebhookUrl.parse("https://bot:s3cret@Hooks.Example.com:8443/in/x?token=s3cret");
    assertThat(u.redacted()).isEqualTo("https://***@Hooks.Example.com:8443/in/x?***");
    assertThat(u.toString()).doesNotContain("s3cret");
    assertThat(u.target().toString()).isEqualTo("https://Hooks.Example.com:8443/in/x?token=s3cret");
    assertThat(u.host()).isEqualTo("hooks.example.com");
    assertThat(u.port()).isEqualTo(8443);
    assertThat(u.authorization()).isPresent();
    assertThat(WebhookUrl.parse("http://h.example/").redacted()).isEqualTo("http://h.example/");
    assertThat(WebhookUrl.parse("http://h.example").target().getPath()).isEqualTo("/");
    assertThat(WebhookUrl.parse("https://[::1]/x").host()).isEqualTo("::1");
    assertThat(WebhookUrl.parse("https://h.example/").port()).isEqualTo(443);
  }

  @Test
  void onlyHttpAndHttpsWithAHostAreUrls() {
    for (String bad :
        new String[] {
          "ftp://h.example/x",
          "file:///etc/passwd",
          "jar:file:/x!/y",
          "gopher://h.example/",
          "h.example/x",
          "mailto:a@h.example",
          "http:///x",
          "http://under_score.example/"
        }) {
      assertThatThrownBy(() -> WebhookUrl.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> WebhookUrl.parse("http://h.example/x#frag"))
        .hasMessageContaining("fragment");
    assertThatThrownBy(() -> WebhookUrl.parse("http://h.example/a b"))
        .hasMessage("it is not a well-formed URL");
    assertThatThrownBy(() -> WebhookUrl.parse("http://h.example/" + "a".repeat(2000)))
        .hasMessageContaining("at most");
  }

  @Test
  void aReasonNeverEchoesTheUrl() {
    assertThatThrownBy(() -> WebhookUrl.parse("ftp://u:s3cret@h.example/"))
        .message()
        .doesNotContain("s3cret");
  }
}
