package io.nql.planner.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  @Test
  void hashesWithSaltAndVerifies() {
    String hash = PasswordHasher.hash("hunter2".toCharArray());
    String[] parts = hash.split("\\$");

    assertThat(parts).hasSize(4);
    assertThat(parts[0]).isEqualTo("pbkdf2-sha256");
    assertThat(Integer.parseInt(parts[1])).isGreaterThanOrEqualTo(210_000);
    assertThat(Base64.getDecoder().decode(parts[2])).hasSize(16);
    assertThat(Base64.getDecoder().decode(parts[3])).hasSize(32);
    assertThat(hash).doesNotContain("hunter2");
    assertThat(PasswordHasher.hash("hunter2".toCharArray())).isNotEqualTo(hash);

    assertThat(PasswordHasher.verify("hunter2".toCharArray(), hash)).isTrue();
    assertThat(PasswordHasher.verify("hunter3".toCharArray(), hash)).isFalse();
    assertThat(PasswordHasher.verify(new char[0], hash)).isFalse();
  }

  @Test
  void readsIterationsFromTheStoredHash() {
    String stored = PasswordHasher.hash("pw".toCharArray());
    String[] parts = stored.split("\\$");
    // A hash made with fewer iterations than today's default still verifies with its own count.
    String cheaper = "pbkdf2-sha256$1000$" + parts[2] + "$" + parts[3];
    assertThat(PasswordHasher.verify("pw".toCharArray(), cheaper)).isFalse();
    assertThat(PasswordHasher.verify("pw".toCharArray(), stored)).isTrue();
  }

  @Test
  void refusesMalformedHashes() {
    for (String bad :
        new String[] {
          null,
          "",
          "plain",
          "md5$1$AAAA$AAAA",
          "pbkdf2-sha256$x$AAAA$AAAA",
          "pbkdf2-sha256$0$AAAA$AAAA",
          "pbkdf2-sha256$1000$!!!$AAAA",
          "pbkdf2-sha256$1000$AAAA"
        }) {
      assertThat(PasswordHasher.verify("pw".toCharArray(), bad)).as(String.valueOf(bad)).isFalse();
    }
  }

  @Test
  void unmatchableHashIsWellFormedAndMatchesNothing() {
    String hash = PasswordHasher.unmatchableHash();
    assertThat(hash).startsWith("pbkdf2-sha256$210000$");
    assertThat(PasswordHasher.verify("".toCharArray(), hash)).isFalse();
    assertThat(PasswordHasher.verify("anything".toCharArray(), hash)).isFalse();
  }

  @Test
  void generatesStrongPasswords() {
    String a = PasswordHasher.generatePassword(24);
    assertThat(a).hasSize(24).matches("[A-Za-z0-9]+");
    assertThat(PasswordHasher.generatePassword(24)).isNotEqualTo(a);
  }
}
