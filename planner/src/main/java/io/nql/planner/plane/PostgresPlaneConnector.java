package io.nql.planner.plane;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.ingest.postgres.PostgresHosts;
import io.nql.planner.ingest.postgres.PostgresUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Connects to PostgreSQL planes with their current credentials (opened at each connection, so a
 * rotated secret takes effect at the next statement), over the hosts the gateway allows for
 * PostgreSQL ({@code --postgres-import-hosts}), with the driver settings imports use: read-only
 * session, extended protocol, no server error details (they may quote row values).
 */
public final class PostgresPlaneConnector implements PlaneConnector {
  private final DataPlanes planes;
  private final PostgresHosts hosts;

  public PostgresPlaneConnector(DataPlanes planes, PostgresHosts hosts) {
    this.planes = planes;
    this.hosts = hosts;
  }

  @Override
  public Connection connect(long companyId, String plane) {
    PlaneCredentials credentials = planes.open(companyId, plane, "use");
    PostgresUrl url;
    try {
      url = PostgresUrl.parse(credentials.url());
    } catch (IllegalArgumentException e) {
      throw NqlException.of(
          ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "Cannot use data plane %s: its URL is not a valid PostgreSQL URL",
          plane);
    }
    if (!hosts.allows(url.host(), url.port())) {
      throw NqlException.of(
          ErrorCode.INSUFFICIENT_PRIVILEGE,
          "Cannot use data plane %s: this gateway does not allow PostgreSQL connections to %s"
              + " (see --postgres-import-hosts)",
          plane,
          url.hostAndPort());
    }
    Properties properties = url.driverProperties(credentials.user(), credentials.password());
    properties.setProperty("ApplicationName", "nql-gateway plane " + plane);
    try {
      Connection c = new org.postgresql.Driver().connect(url.driverUrl(), properties);
      if (c == null) {
        throw new SQLException("the driver does not accept the URL", "08001");
      }
      return c;
    } catch (SQLException e) {
      // The driver's message may name the user; the SQLSTATE class says enough.
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      String reason =
          state.startsWith("28")
              ? "the server refused the login"
              : state.startsWith("3D")
                  ? "the database does not exist"
                  : "the server cannot be reached";
      throw new NqlException(
          ErrorCode.EXTERNAL_CONNECTION_FAILED,
          "Cannot use data plane " + plane + " at " + url.hostAndPort() + ": " + reason,
          e);
    }
  }
}
