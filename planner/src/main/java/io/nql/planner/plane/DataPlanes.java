package io.nql.planner.plane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.ingest.postgres.PostgresUrl;
import io.nql.planner.secret.Secret;
import io.nql.planner.secret.SecretCipher;
import io.nql.planner.secret.SecretType;
import io.nql.planner.secret.Secrets;
import io.nql.planner.store.StoredDataPlanes;
import io.nql.planner.store.StoredDataPlanes.StoredDataPlane;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The companies' data planes. A plane belongs to the company that created it: another company's
 * plane and a missing one are the same to a caller. Its credentials are either one of the company's
 * {@link Secrets secrets} (named, opened on use) or given inline and sealed with the same {@link
 * SecretCipher} and key as secrets, bound to the company, the plane's name and type. No method's
 * result or error contains a password. Thread-safe.
 */
public final class DataPlanes {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,128}");
  private static final List<String> KEYS = List.of("url", "user", "password");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() {};

  private final StoredDataPlanes store;
  private final SecretCipher cipher;
  private final Secrets secrets;

  public DataPlanes(StoredDataPlanes store, SecretCipher cipher, Secrets secrets) {
    this.store = store;
    this.cipher = cipher;
    this.secrets = secrets;
  }

  /**
   * Creates a company's plane with credentials given inline.
   *
   * @param values by key, any case: exactly URL, USER and PASSWORD, none empty
   * @throws NqlException INVALID_NAME for a bad name, INVALID_PARAMETER_VALUE for missing, unknown,
   *     repeated or empty values or a URL that is not a {@code jdbc:postgresql://} one,
   *     DUPLICATE_OBJECT when the company has a plane of this name
   */
  public void create(
      long companyId, long userId, String name, DataPlaneType type, Map<String, String> values) {
    checkName(name);
    Map<String, String> checked = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          String key = k.toLowerCase(Locale.ROOT);
          if (!KEYS.contains(key)) {
            throw invalid(name, type + " data planes take URL, USER and PASSWORD, not " + upper(k));
          }
          if (checked.put(key, v) != null) {
            throw invalid(name, upper(k) + " is given twice");
          }
          if (v.isEmpty() || v.indexOf('\0') >= 0) {
            throw invalid(name, upper(k) + " is empty or holds a NUL character");
          }
        });
    for (String key : KEYS) {
      if (!checked.containsKey(key)) {
        throw invalid(name, upper(key) + " is missing (or name a secret: SECRET <name>)");
      }
    }
    url(name, checked.get("url"), "create");
    String sealed;
    try {
      sealed = cipher.seal(JSON.writeValueAsString(checked), associatedData(companyId, type, name));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write data plane credentials", e);
    }
    store.put(
        new StoredDataPlane(companyId, name, type.name(), null, sealed, userId, Instant.now()));
  }

  /**
   * Creates a company's plane whose credentials are the company's secret {@code secretName}, which
   * must exist and be a POSTGRES secret now; it is opened again at every use.
   *
   * @throws NqlException as {@link Secrets#get} when the secret is missing or cannot be opened,
   *     INVALID_PARAMETER_VALUE when it is of another type
   */
  public void createWithSecret(
      long companyId, long userId, String name, DataPlaneType type, String secretName) {
    checkName(name);
    postgresSecret(companyId, name, secretName, "create");
    store.put(
        new StoredDataPlane(companyId, name, type.name(), secretName, null, userId, Instant.now()));
  }

  /**
   * Drops a company's plane.
   *
   * @throws NqlException UNDEFINED_OBJECT when the company has no plane of this name;
   *     DEPENDENT_OBJECTS_STILL_EXIST when datasets of the company rest in it (named)
   */
  public void drop(long companyId, String name) {
    if (!NAME.matcher(name).matches() || !store.delete(companyId, name)) {
      throw noSuchPlane("drop", name);
    }
  }

  /** The company's planes, ordered by name, with what may be shown of them. */
  public List<DataPlane> list(long companyId) {
    List<DataPlane> out = new ArrayList<>();
    for (StoredDataPlane p : store.ofCompany(companyId)) {
      DataPlaneType type = DataPlaneType.of(p.type()).orElse(null);
      if (type == null) {
        continue; // a type a newer gateway wrote: this one cannot use it
      }
      PlaneCredentials c = null;
      try {
        c = credentials(p, type, "show");
      } catch (NqlException | SecretCipher.Unopenable e) {
        // listed without URL and user: its secret is gone or the key cannot open it
      }
      out.add(
          new DataPlane(
              p.name(),
              type,
              p.secretName(),
              c == null ? null : c.url(),
              c == null ? null : c.user(),
              p.createdAt()));
    }
    return out;
  }

  /**
   * Opens a company's plane for use: its credentials, for the code that connects only.
   *
   * @param verb what the caller does, for messages ({@code use})
   * @throws NqlException UNDEFINED_OBJECT when the company has no plane of this name,
   *     OBJECT_NOT_IN_PREREQUISITE_STATE when its credentials cannot be opened, or as {@link
   *     Secrets#get} for a plane over a secret
   */
  public PlaneCredentials open(long companyId, String name, String verb) {
    if (!NAME.matcher(name).matches()) {
      throw noSuchPlane(verb, name);
    }
    StoredDataPlane p = store.get(companyId, name).orElseThrow(() -> noSuchPlane(verb, name));
    DataPlaneType type = DataPlaneType.of(p.type()).orElseThrow(() -> noSuchPlane(verb, name));
    try {
      return credentials(p, type, verb);
    } catch (SecretCipher.Unopenable e) {
      throw unopenable(verb, name);
    }
  }

  private static NqlException unopenable(String verb, String name) {
    return NqlException.of(
        ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
        "Cannot %s data plane %s: the gateway's secret key cannot decrypt its credentials (was"
            + " the key file replaced?); drop and create the plane again",
        verb,
        name);
  }

  private PlaneCredentials credentials(StoredDataPlane p, DataPlaneType type, String verb) {
    if (p.secretName() != null) {
      Secret s = postgresSecret(p.companyId(), p.name(), p.secretName(), verb);
      return new PlaneCredentials(s.value("url"), s.value("user"), s.value("password"));
    }
    Map<String, String> v;
    try {
      v =
          JSON.readValue(
              cipher.open(p.sealed(), associatedData(p.companyId(), type, p.name())), MAP);
    } catch (JsonProcessingException e) {
      throw unopenable(verb, p.name());
    }
    return new PlaneCredentials(v.get("url"), v.get("user"), v.get("password"));
  }

  private Secret postgresSecret(long companyId, String plane, String secretName, String verb) {
    Secret s = secrets.get(companyId, secretName, verb);
    if (s.type() != SecretType.POSTGRES) {
      throw invalid(plane, "secret " + secretName + " is a " + s.type() + " secret");
    }
    url(plane, s.value("url"), verb);
    return s;
  }

  /** Checks a plane's URL; the message names the problem, never the URL's user information. */
  private static PostgresUrl url(String plane, String url, String verb) {
    try {
      return PostgresUrl.parse(url);
    } catch (IllegalArgumentException e) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot %s data plane %s: %s",
          verb,
          plane,
          e.getMessage());
    }
  }

  /** What sealed credentials are bound to: another company, type or name does not open them. */
  private static String associatedData(long companyId, DataPlaneType type, String name) {
    return "nql-data-plane/v1\n" + companyId + "\n" + type.name() + "\n" + name;
  }

  private static void checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw NqlException.of(
          ErrorCode.INVALID_NAME,
          "Cannot create data plane %s: a data plane name has 1 to 128 letters, digits and"
              + " underscores",
          shortened(name));
    }
  }

  private static NqlException noSuchPlane(String verb, String name) {
    return NqlException.of(
        ErrorCode.UNDEFINED_OBJECT,
        "Cannot %s data plane %s: no such data plane",
        verb,
        shortened(name));
  }

  private static NqlException invalid(String name, String reason) {
    return NqlException.of(
        ErrorCode.INVALID_PARAMETER_VALUE, "Cannot create data plane %s: %s", name, reason);
  }

  private static String shortened(String name) {
    return name.length() > 130 ? name.substring(0, 128) + "…" : name;
  }

  private static String upper(String key) {
    return key.toUpperCase(Locale.ROOT);
  }
}
