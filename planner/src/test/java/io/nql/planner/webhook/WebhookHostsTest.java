package io.nql.planner.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.webhook.WebhookHosts.Verdict;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * The operator's host policy: by default only public addresses (never the gateway's own machine,
 * its networks or the cloud metadata endpoint); listed hosts whatever their address; {@code none}
 * nothing. Address literals only, so no test depends on DNS.
 */
class WebhookHostsTest {
  private static Verdict check(String policy, String url) {
    return WebhookHosts.parse(policy).check(WebhookUrl.parse(url));
  }

  @Test
  void publicRefusesEveryAddressThatIsNotPublic() {
    for (String url :
        new String[] {
          "http://127.0.0.1/",
          "http://127.1.2.3:8080/",
          "http://10.0.0.5/",
          "http://172.16.0.1/",
          "http://172.31.255.255/",
          "http://192.168.1.1/",
          "http://169.254.169.254/latest/meta-data/",
          "http://100.64.0.1/",
          "http://0.0.0.0/",
          "http://224.0.0.1/",
          "http://255.255.255.255/",
          "http://[::1]/",
          "http://[::]/",
          "http://[fe80::1]/",
          "http://[fd00::7]/",
          "http://[::ffff:10.0.0.1]/",
          "http://[2002:a00:1::]/",
          "http://localhost/"
        }) {
      assertThat(check("public", url)).as(url).isEqualTo(Verdict.REFUSED);
    }
    assertThat(check("public", "http://93.184.216.34/")).isEqualTo(Verdict.ALLOWED);
    assertThat(check("public", "http://172.32.0.1/")).isEqualTo(Verdict.ALLOWED);
    assertThat(check("public", "https://[2606:4700::1111]/")).isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void listedHostsAreAllowedWhateverTheirAddressAndNothingElseIsWithoutPublic() {
    String policy = "127.0.0.1, *.corp.example, hooks.example:8443, [fd00::7]";
    assertThat(check(policy, "http://127.0.0.1:9999/x")).isEqualTo(Verdict.ALLOWED);
    assertThat(check(policy, "http://a.b.corp.example/")).isEqualTo(Verdict.ALLOWED);
    assertThat(check(policy, "http://corp.example/")).isEqualTo(Verdict.REFUSED);
    assertThat(check(policy, "http://evilcorp.example/")).isEqualTo(Verdict.REFUSED);
    assertThat(check(policy, "https://HOOKS.example.:8443/")).isEqualTo(Verdict.ALLOWED);
    assertThat(check(policy, "https://hooks.example/")).isEqualTo(Verdict.REFUSED);
    assertThat(check(policy, "http://[fd00:0:0::7]/")).isEqualTo(Verdict.ALLOWED);
    assertThat(check(policy, "http://93.184.216.34/")).isEqualTo(Verdict.REFUSED);
    assertThat(check(policy + ",public", "http://93.184.216.34/")).isEqualTo(Verdict.ALLOWED);
    assertThat(check(policy + ",public", "http://10.0.0.1/")).isEqualTo(Verdict.REFUSED);
  }

  @Test
  void noneAllowsNothing() {
    WebhookHosts none = WebhookHosts.parse(" NONE ");
    assertThat(none.none()).isTrue();
    assertThat(none.check(WebhookUrl.parse("http://93.184.216.34/"))).isEqualTo(Verdict.REFUSED);
    assertThat(WebhookHosts.parse("public").none()).isFalse();
  }

  @Test
  void aPolicyThatIsNotOneIsRefusedNamingTheEntry() {
    assertThatThrownBy(() -> WebhookHosts.parse("hooks.example:99999"))
        .hasMessageContaining("'hooks.example:99999' has no valid port");
    assertThatThrownBy(() -> WebhookHosts.parse("http://hooks.example/"))
        .hasMessageContaining("'http://hooks.example/'");
    assertThatThrownBy(() -> WebhookHosts.parse(" , ")).hasMessageContaining("names no host");
    assertThatThrownBy(() -> WebhookHosts.parse("[zz::1]")).hasMessageContaining("IPv6");
  }

  @Test
  void theCloudMetadataAddressIsNotPublic() throws Exception {
    assertThat(WebhookHosts.isPublic(InetAddress.getByName("169.254.169.254"))).isFalse();
    assertThat(WebhookHosts.isPublic(InetAddress.getByName("fd00:ec2::254"))).isFalse();
    assertThat(WebhookHosts.isPublic(InetAddress.getByName("8.8.8.8"))).isTrue();
  }
}
