package io.nql.planner.secret;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.store.StoredSecrets;
import io.nql.planner.store.StoredSecrets.StoredSecret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The companies' secrets: values sealed with {@link SecretCipher} before they are stored, opened
 * only for use by their own company. Another company's secret and a missing one are the same to a
 * caller. No method's result or error contains a sensitive value. Thread-safe.
 */
public final class Secrets {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,128}");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() {};

  private final StoredSecrets store;
  private final SecretCipher cipher;

  public Secrets(StoredSecrets store, SecretCipher cipher) {
    this.store = store;
    this.cipher = cipher;
  }

  /**
   * Creates (or replaces) a company's secret.
   *
   * @param values by key, any case; every key of the type, no other, none empty
   * @param check checks the type's values (keys in lower case) once their keys are known good; its
   *     exceptions propagate
   * @throws NqlException INVALID_NAME for a bad name, INVALID_PARAMETER_VALUE for missing, unknown
   *     or empty values, DUPLICATE_OBJECT when it exists and {@code replace} is false
   */
  public void create(
      long companyId,
      long userId,
      String name,
      SecretType type,
      Map<String, String> values,
      java.util.function.Consumer<Map<String, String>> check,
      boolean replace) {
    checkName("create", name);
    Map<String, String> checked = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          String key = k.toLowerCase(Locale.ROOT);
          if (!type.keys().contains(key)) {
            throw invalid(name, type + " secrets take " + type.keyList() + ", not " + upper(k));
          }
          if (checked.put(key, v) != null) {
            throw invalid(name, upper(k) + " is given twice");
          }
          if (v.isEmpty() || v.indexOf('\0') >= 0) {
            throw invalid(name, upper(k) + " is empty or holds a NUL character");
          }
        });
    for (String key : type.keys()) {
      if (!checked.containsKey(key)) {
        throw invalid(
            name, upper(key) + " is missing (" + type + " secrets need " + type.keyList() + ")");
      }
    }
    check.accept(java.util.Collections.unmodifiableMap(checked));
    String sealed;
    try {
      sealed = cipher.seal(JSON.writeValueAsString(checked), associatedData(companyId, type, name));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write secret values", e);
    }
    store.put(
        new StoredSecret(companyId, name, type.name(), sealed, userId, Instant.now()), replace);
  }

  /**
   * Drops a company's secret.
   *
   * @throws NqlException UNDEFINED_OBJECT when the company has no secret of this name
   */
  public void drop(long companyId, String name) {
    if (!NAME.matcher(name).matches() || !store.delete(companyId, name)) {
      throw noSuchSecret("drop", name);
    }
  }

  /** The company's secrets, ordered by name, with their values that are not sensitive. */
  public List<SecretInfo> list(long companyId) {
    List<SecretInfo> out = new ArrayList<>();
    for (StoredSecret s : store.ofCompany(companyId)) {
      Optional<SecretType> type = SecretType.of(s.type());
      if (type.isEmpty()) {
        continue; // a type a newer gateway wrote: this one cannot use it
      }
      Map<String, String> shown = null;
      try {
        Map<String, String> values = open(s, type.get());
        shown = new LinkedHashMap<>();
        for (String key : type.get().keys()) {
          if (!type.get().sensitive(key)) {
            shown.put(key, values.get(key));
          }
        }
      } catch (SecretCipher.Unopenable e) {
        // listed without its values: the gateway's key is not the one it was sealed with
      }
      out.add(new SecretInfo(s.name(), type.get(), shown, s.createdAt()));
    }
    return out;
  }

  /**
   * Opens a company's secret for use.
   *
   * @param verb what the caller does with it, for messages ({@code use})
   * @throws NqlException UNDEFINED_OBJECT when the company has no secret of this name,
   *     OBJECT_NOT_IN_PREREQUISITE_STATE when the gateway's key cannot open it
   */
  public Secret get(long companyId, String name, String verb) {
    if (!NAME.matcher(name).matches()) {
      throw noSuchSecret(verb, name);
    }
    StoredSecret s = store.get(companyId, name).orElseThrow(() -> noSuchSecret(verb, name));
    SecretType type = SecretType.of(s.type()).orElseThrow(() -> noSuchSecret(verb, name));
    try {
      return new Secret(name, type, open(s, type));
    } catch (SecretCipher.Unopenable e) {
      throw NqlException.of(
          ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "Cannot %s secret %s: the gateway's secret key cannot decrypt it (was the key file"
              + " replaced?); create the secret again",
          verb,
          name);
    }
  }

  private Map<String, String> open(StoredSecret s, SecretType type) {
    String json = cipher.open(s.sealed(), associatedData(s.companyId(), type, s.name()));
    try {
      return JSON.readValue(json, MAP);
    } catch (JsonProcessingException e) {
      throw new SecretCipher.Unopenable();
    }
  }

  /** What a sealed value is bound to: moved to another company, type or name it does not open. */
  private static String associatedData(long companyId, SecretType type, String name) {
    return "nql-secret/v1\n" + companyId + "\n" + type.name() + "\n" + name;
  }

  private static void checkName(String verb, String name) {
    if (!NAME.matcher(name).matches()) {
      throw NqlException.of(
          ErrorCode.INVALID_NAME,
          "Cannot %s secret %s: a secret name has 1 to 128 letters, digits and underscores",
          verb,
          name.length() > 130 ? name.substring(0, 128) + "…" : name);
    }
  }

  private static NqlException noSuchSecret(String verb, String name) {
    return NqlException.of(
        ErrorCode.UNDEFINED_OBJECT,
        "Cannot %s secret %s: no such secret",
        verb,
        name.length() > 130 ? name.substring(0, 128) + "…" : name);
  }

  private static NqlException invalid(String name, String reason) {
    return NqlException.of(
        ErrorCode.INVALID_PARAMETER_VALUE, "Cannot create secret %s: %s", name, reason);
  }

  private static String upper(String key) {
    return key.toUpperCase(Locale.ROOT);
  }
}
