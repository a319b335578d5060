package io.nql.planner.secret;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals and opens secret values with AES-256-GCM under the gateway's secret key: each value gets a
 * fresh 96-bit nonce, and the associated data (the owning company, the type and the name) is
 * authenticated with it, so a sealed value copied to another company's or another name's row in the
 * store no longer opens. Sealed text is {@code v1:<base64(nonce | ciphertext | tag)>}.
 *
 * <p>The key is 32 random bytes kept in a file as base64 text ({@code openssl rand -base64 32}).
 * Thread-safe.
 */
public final class SecretCipher {
  private static final Logger LOG = LoggerFactory.getLogger(SecretCipher.class);

  /** The key file the gateway creates in the warehouse when none is configured. */
  public static final String DEFAULT_FILE_NAME = "secret.key";

  private static final String VERSION = "v1:";
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  private SecretCipher(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /** A cipher over a key of 32 bytes (tests). */
  static SecretCipher ofKey(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("a secret key has 32 bytes");
    }
    return new SecretCipher(key.clone());
  }

  /**
   * The cipher of an existing key file.
   *
   * @throws NqlException INVALID_PARAMETER_VALUE when the file is missing or does not hold 32 bytes
   *     in base64
   */
  public static SecretCipher fromFile(Path file) {
    try {
      return read(file);
    } catch (NoSuchFileException e) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read secret key file %s: no such file", file);
    }
  }

  /**
   * The cipher of {@code file}, created first with a new random key, readable by its owner only,
   * when it does not exist.
   *
   * @throws NqlException INVALID_PARAMETER_VALUE when an existing file does not hold a key,
   *     IO_ERROR when the file cannot be created
   */
  public static SecretCipher createOrRead(Path file) {
    try {
      return read(file);
    } catch (NoSuchFileException e) {
      // first start: create it below
    }
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    try {
      create(
          file, (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.UTF_8));
      LOG.warn(
          "Created the secret key file {} (readable by its owner only). It decrypts the secrets"
              + " stored in the metadata store: back it up, apart from the store's backups",
          file);
      return new SecretCipher(key);
    } catch (FileAlreadyExistsException e) {
      return fromFile(file); // another process created it first
    } catch (IOException e) {
      throw NqlException.of(
          ErrorCode.IO_ERROR, "Cannot create secret key file %s: %s", file, e.getMessage());
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static void create(Path file, byte[] content) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
    Files.write(file, content);
  }

  private static SecretCipher read(Path file) throws NoSuchFileException {
    byte[] key;
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      key = Base64.getDecoder().decode(text);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      key = new byte[0];
    }
    if (key.length != KEY_BYTES) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot read secret key file %s: expected 32 bytes in base64 (openssl rand -base64 32)",
          file);
    }
    warnIfShared(file);
    try {
      return new SecretCipher(key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static void warnIfShared(Path file) {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      p.retainAll(
          Set.of(
              PosixFilePermission.GROUP_READ,
              PosixFilePermission.GROUP_WRITE,
              PosixFilePermission.OTHERS_READ,
              PosixFilePermission.OTHERS_WRITE));
      if (!p.isEmpty()) {
        LOG.warn(
            "The secret key file {} is readable or writable by others than its owner"
                + " (chmod 600 it)",
            file);
      }
    } catch (IOException | UnsupportedOperationException e) {
      // not a POSIX file system: nothing to check
    }
  }

  /** Seals {@code plaintext}, binding it to {@code associatedData}. */
  public String seal(String plaintext, String associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return VERSION + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * Opens what {@link #seal} sealed with the same associated data.
   *
   * @throws Unopenable when the text was sealed under another key or other associated data, or was
   *     changed
   */
  public String open(String sealed, String associatedData) {
    if (!sealed.startsWith(VERSION)) {
      throw new Unopenable();
    }
    byte[] in;
    try {
      in = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
    } catch (IllegalArgumentException e) {
      throw new Unopenable();
    }
    if (in.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new Unopenable();
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOf(in, NONCE_BYTES)));
      c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] plain = c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new Unopenable();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** A sealed value that does not open under this key and associated data. */
  public static final class Unopenable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unopenable() {
      super("the sealed value does not open with this key", null, false, false);
    }
  }
}
