package io.nql.flight;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collections;

/**
 * The key and certificate chain of a PKCS12 keystore as PEM, the form Flight's server takes: the
 * gateway is configured with one keystore for both endpoints.
 */
final class Pkcs12Pem {
  /** PEM streams of the first key entry. */
  record Pem(InputStream certificateChain, InputStream privateKey) {}

  private Pkcs12Pem() {}

  static Pem read(Path keystore, String password) {
    char[] pw = password.toCharArray();
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, pw);
      for (String alias : Collections.list(ks.aliases())) {
        if (!ks.isKeyEntry(alias)) {
          continue;
        }
        Key key = ks.getKey(alias, pw);
        Certificate[] chain = ks.getCertificateChain(alias);
        if (!(key instanceof PrivateKey) || chain == null || chain.length == 0) {
          continue;
        }
        StringBuilder certs = new StringBuilder();
        for (Certificate c : chain) {
          certs.append(pem("CERTIFICATE", c.getEncoded()));
        }
        return new Pem(
            new ByteArrayInputStream(certs.toString().getBytes(StandardCharsets.US_ASCII)),
            new ByteArrayInputStream(
                pem("PRIVATE KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII)));
      }
      throw new IllegalStateException(
          "Cannot use TLS keystore " + keystore + ": it holds no private key with a certificate");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "Cannot read TLS keystore " + keystore + ": " + e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(pw, '\0');
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
