package io.nql.flight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The one Basic-credentials decoder of the HTTP and Flight endpoints. */
class BasicCredentialsTest {

  private static String basic(String userColonPassword) {
    return basic(userColonPassword.getBytes(StandardCharsets.UTF_8));
  }

  private static String basic(byte[] raw) {
    return "Basic " + Base64.getEncoder().encodeToString(raw);
  }

  @Test
  void decodesUserAndPasswordAndWipesThePassword() {
    BasicCredentials c = BasicCredentials.parse(basic("jürgen:pa:ss wörd"));
    assertThat(c.user()).isEqualTo("jürgen");
    assertThat(c.password()).containsExactly("pa:ss wörd".toCharArray());
    assertThat(c.toString()).doesNotContain("pa:ss");
    c.close();
    assertThat(c.password()).containsOnly('\0');
  }

  @Test
  void schemeIsCaseInsensitiveAndThePasswordMayBeEmpty() {
    try (BasicCredentials c =
        BasicCredentials.parse("bASIC   " + basic("acme_user:").substring(6) + " ")) {
      assertThat(c.user()).isEqualTo("acme_user");
      assertThat(c.password()).isEmpty();
    }
  }

  @Test
  void noHeaderOrAnotherSchemeIsNoCredentials() {
    assertThat(BasicCredentials.parse(null)).isNull();
    assertThat(BasicCredentials.parse("Bearer abc")).isNull();
    assertThat(BasicCredentials.parse("Basically")).isNull();
    assertThat(BasicCredentials.parse("")).isNull();
  }

  @Test
  void badBase64IsRefused() {
    assertThatThrownBy(() -> BasicCredentials.parse("Basic not*base64!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read Basic credentials: not base64");
  }

  @Test
  void bytesThatAreNotUtf8AreRefused() {
    assertThatThrownBy(() -> BasicCredentials.parse(basic(new byte[] {'u', ':', (byte) 0xC3})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read Basic credentials: not UTF-8");
  }

  @Test
  void noColonIsRefused() {
    assertThatThrownBy(() -> BasicCredentials.parse(basic("acme_user")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read Basic credentials: no colon between user and password");
    assertThatThrownBy(() -> BasicCredentials.parse("Basic "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read Basic credentials: no colon between user and password");
  }

  @Test
  void emptyUserIsRefused() {
    assertThatThrownBy(() -> BasicCredentials.parse(basic(":secret")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read Basic credentials: empty user")
        .hasMessageNotContaining("secret");
  }
}
