package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import io.nql.planner.testing.Marketplace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * NQL.md §8 functions with their documented examples (and the published test vectors of the
 * hashes), in a provider's rule and in a buyer's query, on both executors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NqlFunctionsTest {
  @TempDir static Path dir;
  NqlEngine engine;
  NqlSession provider;
  NqlSession buyer;

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = dir.resolve("ingest");
    Path src = Files.createDirectories(ingest.resolve("acme"));
    Files.writeString(
        src.resolve("people.csv"),
        "id,email,country\n"
            + "1,John.Doe+test@Gmail.COM,USA\n"
            + "2,  Alice@Example.COM ,deu\n"
            + "3,not an email,XXX\n"
            + "4,,GBR\n");
    engine = Marketplace.open(dir.resolve("wh"), ingest, "acme", "buyer_co");
    provider = engine.trusted("acme_user");
    provider
        .execute("COPY INTO company_data.people FROM '" + src.resolve("people.csv") + "'")
        .close();
    provider
        .execute(
            "CREATE ACCESS RULE \"hashed\" PRICE_CPM_USD = 0 SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT p.id, SHA2(NORMALIZE_EMAIL(p.email), 256) AS email_sha256,"
                + " COUNTRY_CODE_3_TO_2(p.country) AS country2 FROM company_data.people p")
        .close();
    buyer = engine.trusted("buyer_co_user");
  }

  @AfterAll
  void tearDown() {
    buyer.close();
    provider.close();
    engine.close();
  }

  static List<List<Object>> rows(NqlSession s, String sql) {
    List<List<Object>> out = new ArrayList<>();
    try (StatementResult r = s.execute(sql)) {
      Object[] row;
      while ((row = r.next()) != null) {
        out.add(Arrays.asList(row));
      }
    }
    return out;
  }

  static Object value(NqlSession s, String expression) {
    return rows(s, "SELECT " + expression + " AS v FROM company_data.people WHERE id = 1")
        .get(0)
        .get(0);
  }

  @Test
  void documentedExamples() {
    assertThat(value(provider, "NORMALIZE_EMAIL('John.Doe+test@Gmail.COM')"))
        .isEqualTo("johndoe@gmail.com");
    assertThat(value(provider, "normalize_email('  Alice@Example.COM ')"))
        .isEqualTo("alice@example.com");
    assertThat(value(provider, "NORMALIZE_EMAIL('x.y+z@googlemail.com')"))
        .isEqualTo("xy@gmail.com");
    assertThat(value(provider, "NORMALIZE_EMAIL('not an email')")).isNull();
    assertThat(value(provider, "NORMALIZE_EMAIL(CAST(NULL AS VARCHAR))")).isNull();
    // FIPS 180-2 and RFC 1321 / 3174 test vectors
    assertThat(value(provider, "SHA2('abc', 256)"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(value(provider, "SHA2('abc', 224)"))
        .isEqualTo("23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
    assertThat(value(provider, "sha2('abc', 0)"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(value(provider, "MD5('abc')")).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    assertThat(value(provider, "SHA1('abc')"))
        .isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
    assertThat(value(provider, "HMAC_SHA256('key', 'The quick brown fox jumps over the lazy dog')"))
        .isEqualTo("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    assertThat(value(provider, "COUNTRY_CODE_3_TO_2('USA')")).isEqualTo("US");
    assertThat(value(provider, "COUNTRY_CODE_3_TO_2(' deu ')")).isEqualTo("DE");
    assertThat(value(provider, "COUNTRY_CODE_3_TO_2('XXX')")).isNull();
    assertThat(value(provider, "COUNTRY_CODE_2_TO_3('gb')")).isEqualTo("GBR");
  }

  @Test
  void aBadArgumentIsAClearError() {
    assertThatThrownBy(() -> rows(provider, "SELECT SHA2(email, 7) FROM company_data.people"))
        .isInstanceOf(NqlException.class)
        .satisfies(e -> assertThat(((NqlException) e).sqlState()).isEqualTo("22023"))
        .hasMessageContaining("SHA2")
        .hasMessageNotContaining("java.")
        .hasMessageNotContaining("7");
    assertThatThrownBy(() -> rows(provider, "SELECT SHA2(email) FROM company_data.people"))
        .isInstanceOf(NqlException.class)
        .hasMessageContaining("SHA2");
  }

  @Test
  void aRuleServesHashesAndABuyerFiltersOnThemOnBothExecutors() {
    String johnHash = (String) value(provider, "SHA2('johndoe@gmail.com', 256)");
    for (String vector : List.of("true", "false")) {
      buyer.setProperty("vector_execution", vector);
      assertThat(rows(buyer, "SELECT id, email_sha256, country2 FROM acme.hashed ORDER BY id"))
          .as(vector)
          .containsExactly(
              List.of(1L, johnHash, "US"),
              Arrays.asList(2L, value(provider, "SHA2('alice@example.com', 256)"), "DE"),
              Arrays.asList(3L, null, null),
              Arrays.asList(4L, null, "GB"));
      assertThat(
              rows(
                  buyer,
                  "SELECT id FROM acme.hashed WHERE email_sha256 = SHA2(NORMALIZE_EMAIL("
                      + "'JOHN.DOE@gmail.com'), 256)"))
          .as(vector)
          .containsExactly(List.of(1L));
    }
  }

  @Test
  void aBuyersFailingCallOverARuleNamesNoValue() {
    // the bit length comes from the rule's rows: the error must not carry it
    assertThatThrownBy(
            () ->
                rows(buyer, "SELECT SHA2(email_sha256, CAST(id AS INTEGER) + 40) FROM acme.hashed"))
        .isInstanceOf(io.nql.planner.error.EvaluationException.class)
        .hasMessage("Invalid bit length for SHA2: expected 224, 256, 384 or 512");
  }
}
