package io.nql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway's JSON answers, as a gateway writes them, read back to the letter. */
class GatewayJsonTest {

  @Test
  void readsWarningsWithEveryEscape() throws Exception {
    // As gateways before Jackson wrote it (lower-case hex escapes) and as Jackson writes it.
    String old =
        "{\"warnings\":[{\"sqlstate\":\"01N01\",\"message\":\"cut at \\\"2.50 USD\\\"\\n"
            + "\\t\\\\ \\u001f €\"}]}\n";
    String jackson =
        "{\"warnings\":[{\"sqlstate\":\"01N01\",\"message\":\"cut at \\\"2.50 USD\\\"\\n"
            + "\\t\\\\ \\u001F €\"}, {\"sqlstate\":\"01000\",\"message\":\"\\b\\f\\r\"}]}\n";
    assertThat(GatewayJson.warnings(old))
        .containsExactly(new String[] {"01N01", "cut at \"2.50 USD\"\n\t\\ \u001f €"});
    List<String[]> both = GatewayJson.warnings(jackson);
    assertThat(both).hasSize(2);
    assertThat(both.get(0)).isEqualTo(GatewayJson.warnings(old).get(0));
    assertThat(both.get(1)).containsExactly("01000", "\b\f\r");
  }

  @Test
  void noWarningsAndIncompleteEntriesGiveNothing() throws Exception {
    assertThat(GatewayJson.warnings("{\"warnings\":[]}\n")).isEmpty();
    assertThat(GatewayJson.warnings("{}")).isEmpty();
    assertThat(GatewayJson.warnings("{\"warnings\":[{\"sqlstate\":\"01N01\"}]}")).isEmpty();
  }

  @Test
  void readsCancelAnswers() throws Exception {
    assertThat(GatewayJson.cancelled("{\"cancelled\":true}\n")).isTrue();
    assertThat(GatewayJson.cancelled("{\"cancelled\":false}\n")).isFalse();
    assertThat(GatewayJson.cancelled("{\"sqlstate\":\"28000\",\"message\":\"x\"}")).isFalse();
  }

  @Test
  void refusesWhatIsNotJson() {
    assertThatThrownBy(() -> GatewayJson.warnings("<html>502</html>"))
        .isInstanceOf(JsonProcessingException.class);
  }
}
