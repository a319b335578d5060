package io.nql.jdbc;

import java.sql.Connection;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.remote.Service;

/**
 * The NQL Gateway JDBC driver.
 *
 * <ul>
 *   <li>{@code jdbc:nql://host:port[?prop=value&...]} connects to a gateway over Avatica HTTP.
 *   <li>{@code jdbc:nql:embedded:<warehouse-dir>[?prop=value&...]} runs the engine in this JVM
 *       ({@code nql-planner} must be on the class path); without a password the user is trusted, as
 *       a local file database trusts whoever can read its files.
 * </ul>
 */
public final class NqlDriver extends org.apache.calcite.avatica.remote.Driver {
  static {
    new NqlDriver().register();
  }

  /** Driver version, from the jar manifest when packaged. */
  static final String VERSION = versionOf();

  @Override
  protected String getConnectStringPrefix() {
    return NqlUrl.PREFIX;
  }

  @Override
  protected String getFactoryClassName(JdbcVersion jdbcVersion) {
    return NqlJdbcFactory.class.getName();
  }

  @Override
  protected DriverVersion createDriverVersion() {
    String v = versionOf();
    int[] mm = majorMinor(v);
    return new DriverVersion(
        "NQL JDBC Driver", v, "NQL Gateway", v, true, mm[0], mm[1], mm[0], mm[1]);
  }

  @Override
  public boolean acceptsURL(String url) {
    return NqlUrl.accepts(url);
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    NqlUrl parsed = NqlUrl.parse(url, info);
    Properties props = ConnectionProperties.toAvatica(parsed);
    AvaticaFactory f = this.factory;
    AvaticaConnection conn;
    try {
      // an embedded connection opens its engine here: its errors become SQLExceptions too
      conn = f.newConnection(this, f, url, props);
    } catch (RuntimeException e) {
      throw Errors.clean(e);
    }
    try {
      handler.onConnectionInit(conn);
      conn.getService()
          .apply(
              new Service.OpenConnectionRequest(
                  conn.id, ConnectionProperties.sessionProperties(parsed)));
      return conn;
    } catch (RuntimeException e) {
      SQLException clean = Errors.clean(e);
      try {
        conn.close();
      } catch (SQLException | RuntimeException ignored) {
        // the connection never opened on the server
      }
      throw clean;
    }
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    Properties props = accepts(url) ? NqlUrl.parse(url, info).properties() : new Properties();
    List<DriverPropertyInfo> out = new ArrayList<>();
    for (ConnectionProperties.Property p : ConnectionProperties.ALL) {
      DriverPropertyInfo d = new DriverPropertyInfo(p.name(), props.getProperty(p.name()));
      d.description = p.description();
      d.required = p.required();
      d.choices = p.choices();
      out.add(d);
    }
    return out.toArray(new DriverPropertyInfo[0]);
  }

  private static boolean accepts(String url) {
    return NqlUrl.accepts(url);
  }

  /** The build's version: the jar manifest's, else version.properties (filtered by Maven). */
  private static String versionOf() {
    String v = NqlDriver.class.getPackage().getImplementationVersion();
    if (v != null) {
      return v;
    }
    Properties p = new Properties();
    try (java.io.InputStream in = NqlDriver.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (java.io.IOException e) {
      // fall through to the unknown version
    }
    v = p.getProperty("version", "");
    return v.isEmpty() || v.startsWith("${") ? "0.0.0" : v;
  }

  private static int[] majorMinor(String v) {
    String[] parts = v.split("[.-]");
    try {
      return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    } catch (RuntimeException e) {
      return new int[] {0, 1};
    }
  }
}
