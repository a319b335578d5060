package io.nql.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The connection properties the driver understands, and how they map onto Avatica's. The session
 * properties among them are the engine's ({@code io.nql.planner.engine.SessionProperty}), listed
 * here again so that the driver needs no planner; a test keeps the two lists equal.
 */
final class ConnectionProperties {
  /** The property that chooses how rows travel; also the one that asks the gateway for it. */
  static final String FRAME_ENCODING = "frame_encoding";

  /** The name of the program connecting, passed on to the gateway (its metrics know nql shell). */
  static final String APPLICATION_NAME = "application_name";

  private ConnectionProperties() {}

  /**
   * A property.
   *
   * @param session whether it is a session property, passed on to the engine as it is
   */
  record Property(
      String name, String description, boolean required, String[] choices, boolean session) {
    Property(String name, String description, boolean required, String[] choices) {
      this(name, description, required, choices, false);
    }
  }

  static final List<Property> ALL =
      List.of(
          new Property("user", "User name in the marketplace (e.g. buyer_co_user)", true, null),
          new Property(
              "password",
              "Password of the user (optional for jdbc:nql:embedded:, where local file access is"
                  + " trusted)",
              false,
              null),
          new Property(
              "budget_usd",
              "Session default budget in USD for statements without a budget clause (default 0:"
                  + " free data only)",
              false,
              null,
              true),
          new Property(
              "strict",
              "NQL strict mode: every table reference must be schema-qualified (default true)",
              false,
              new String[] {"true", "false"},
              true),
          new Property(
              "vector_execution",
              "Run scan-filter-project queries on the vectorized Arrow path (default true; false"
                  + " runs every statement on the row engine)",
              false,
              new String[] {"true", "false"},
              true),
          new Property(
              "interpreted_joins",
              "Run inner equi-joins of the row engine without generating code for them (default"
                  + " true; false compiles each statement's plan as one class)",
              false,
              new String[] {"true", "false"},
              true),
          new Property(
              "ssl",
              "Connect to the gateway over TLS (https)",
              false,
              new String[] {"true", "false"}),
          new Property("trustStore", "Path of a trust store (PKCS12 or JKS) for TLS", false, null),
          new Property("trustStorePassword", "Password of the trust store", false, null),
          new Property(
              "serialization",
              "Avatica wire format (default protobuf)",
              false,
              new String[] {"protobuf", "json"}),
          new Property(
              FRAME_ENCODING,
              "How result rows travel: columnar (default; compact frames, a column at a time, read"
                  + " while the next frame is fetched; protobuf or embedded only) or standard"
                  + " (Avatica's frames of values)",
              false,
              new String[] {"columnar", "standard"}),
          new Property(
              APPLICATION_NAME,
              "The program connecting, passed on to the gateway: nql shell names itself so that"
                  + " the gateway's metrics count its statements apart",
              false,
              null));

  /** The names of the session properties, in the engine's order. */
  static final List<String> SESSION =
      ALL.stream().filter(Property::session).map(Property::name).toList();

  /** Avatica's own properties for the parsed URL. */
  static Properties toAvatica(NqlUrl url) throws SQLException {
    Properties in = url.properties();
    Properties p = new Properties();
    if (url.embedded()) {
      p.setProperty("factory", EmbeddedServiceFactory.class.getName());
      p.setProperty("url", url.target());
    } else {
      boolean ssl = Boolean.parseBoolean(in.getProperty("ssl", "false"));
      p.setProperty("factory", RemoteServiceFactory.class.getName());
      p.setProperty("url", (ssl ? "https://" : "http://") + url.target());
      p.setProperty("serialization", in.getProperty("serialization", "protobuf"));
      if (in.getProperty("user") != null) {
        p.setProperty("authentication", "BASIC");
        p.setProperty("avatica_user", in.getProperty("user"));
        p.setProperty("avatica_password", in.getProperty("password", ""));
      }
      if (in.getProperty("trustStore") != null) {
        p.setProperty("truststore", in.getProperty("trustStore"));
        p.setProperty("truststore_password", in.getProperty("trustStorePassword", ""));
      }
    }
    p.setProperty("timeZone", "UTC");
    // No fetch size unless the application sets one: the gateway sizes frames by their bytes.
    p.setProperty("fetch_size", "0");
    if (columnar(url)) {
      p.setProperty(FRAME_ENCODING, ColumnarFrameReader.VERSION_1);
    }
    for (String key : keys(true)) {
      if (in.getProperty(key) != null) {
        p.setProperty(key, in.getProperty(key));
      }
    }
    return p;
  }

  /**
   * The properties sent to the engine when the connection opens. A remote connection authenticates
   * with HTTP Basic on every request, so its password is not sent again in the properties.
   */
  static Map<String, String> sessionProperties(NqlUrl url) throws SQLException {
    Properties in = url.properties();
    Map<String, String> out = new HashMap<>();
    for (String key : keys(url.embedded())) {
      if (in.getProperty(key) != null) {
        out.put(key, in.getProperty(key));
      }
    }
    if (columnar(url)) {
      out.put(FRAME_ENCODING, ColumnarFrameReader.VERSION_1);
    }
    if (in.getProperty(APPLICATION_NAME) != null) {
      out.put(APPLICATION_NAME, in.getProperty(APPLICATION_NAME));
    }
    return out;
  }

  /**
   * Whether the connection asks for columnar frames: unless {@code frame_encoding=standard}, over
   * protobuf or in-process (JSON would carry their bytes as base64 text).
   *
   * @throws SQLException (22023) for a value other than columnar or standard
   */
  static boolean columnar(NqlUrl url) throws SQLException {
    String v = url.properties().getProperty(FRAME_ENCODING, "columnar").trim();
    if (!v.equalsIgnoreCase("columnar") && !v.equalsIgnoreCase("standard")) {
      throw new SQLException(
          "Cannot use frame_encoding '" + v + "': expected columnar or standard", "22023");
    }
    return v.equalsIgnoreCase("columnar")
        && (url.embedded()
            || !"json".equalsIgnoreCase(url.properties().getProperty("serialization")));
  }

  /** The user, the password if wanted, and the session properties. */
  private static List<String> keys(boolean password) {
    List<String> keys = new ArrayList<>(password ? List.of("user", "password") : List.of("user"));
    keys.addAll(SESSION);
    return keys;
  }
}
