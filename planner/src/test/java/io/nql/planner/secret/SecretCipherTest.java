package io.nql.planner.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sealing: what is sealed opens only with the same key and associated data, and is never the same
 * text twice; the key file is created once, readable by its owner only, and read back.
 */
class SecretCipherTest {
  @TempDir Path dir;

  static SecretCipher random() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return SecretCipher.ofKey(key);
  }

  @Test
  void aSealedValueOpensWithItsKeyAndAssociatedDataOnly() {
    SecretCipher cipher = random();
    String plain = "{\"password\":\"pa'ss ünï 😀\"}";
    String sealed = cipher.seal(plain, "acme/pg");
    assertThat(sealed).startsWith("v1:").doesNotContain("pa'ss");
    assertThat(cipher.open(sealed, "acme/pg")).isEqualTo(plain);
    assertThatThrownBy(() -> cipher.open(sealed, "globex/pg"))
        .isInstanceOf(SecretCipher.Unopenable.class);
    assertThatThrownBy(() -> random().open(sealed, "acme/pg"))
        .isInstanceOf(SecretCipher.Unopenable.class);
    byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
    for (int i = 0; i < raw.length; i++) {
      byte[] changed = raw.clone();
      changed[i] ^= 1;
      String tampered = "v1:" + Base64.getEncoder().encodeToString(changed);
      assertThatThrownBy(() -> cipher.open(tampered, "acme/pg"))
          .as("byte %d flipped", i)
          .isInstanceOf(SecretCipher.Unopenable.class);
    }
    assertThatThrownBy(() -> cipher.open("v1:AAAA", "acme/pg"))
        .isInstanceOf(SecretCipher.Unopenable.class);
    assertThatThrownBy(() -> cipher.open(plain, "acme/pg"))
        .isInstanceOf(SecretCipher.Unopenable.class);
  }

  @Test
  void sealingTheSameValueTwiceGivesDifferentTexts() {
    SecretCipher cipher = random();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      assertThat(seen.add(cipher.seal("same", "ad"))).isTrue();
    }
  }

  @Test
  void theKeyFileIsCreatedOwnerOnlyAndReadBack() throws Exception {
    Path file = dir.resolve("secret.key");
    SecretCipher first = SecretCipher.createOrRead(file);
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
    String sealed = first.seal("value", "ad");
    assertThat(SecretCipher.createOrRead(file).open(sealed, "ad")).isEqualTo("value");
    assertThat(SecretCipher.fromFile(file).open(sealed, "ad")).isEqualTo("value");
  }

  @Test
  void aMissingOrMalformedKeyFileIsRefused() throws Exception {
    assertThatThrownBy(() -> SecretCipher.fromFile(dir.resolve("none.key")))
        .isInstanceOf(NqlException.class)
        .hasMessageEndingWith("none.key: no such file");
    Path shortKey = Files.writeString(dir.resolve("short.key"), "c2hvcnQ=\n");
    for (Path bad :
        new Path[] {
          shortKey,
          Files.write(dir.resolve("binary.key"), new byte[32]),
          Files.writeString(dir.resolve("text.key"), "not base64!")
        }) {
      assertThatThrownBy(() -> SecretCipher.createOrRead(bad))
          .isInstanceOf(NqlException.class)
          .hasMessageContaining("expected 32 bytes in base64");
    }
    assertThat(Files.readString(shortKey, StandardCharsets.US_ASCII)).isEqualTo("c2hvcnQ=\n");
  }
}
