package io.nql.planner.plane;

import java.sql.Connection;

/**
 * Opens connections to companies' data planes for the scans that read them. The connection reads
 * only: the caller sets its transaction read-only and closes it.
 */
@FunctionalInterface
public interface PlaneConnector {
  /** A connector for a gateway without planes: every use fails as a missing plane does. */
  PlaneConnector NONE =
      (companyId, plane) -> {
        throw io.nql.planner.error.NqlException.of(
            io.nql.planner.error.ErrorCode.UNDEFINED_OBJECT,
            "Cannot use data plane %s: no such data plane",
            plane);
      };

  /**
   * A new connection to a company's plane.
   *
   * @throws io.nql.planner.error.NqlException UNDEFINED_OBJECT for an unknown plane,
   *     INSUFFICIENT_PRIVILEGE when the gateway does not allow the plane's host,
   *     EXTERNAL_CONNECTION_FAILED when it cannot be reached or refuses the login; the message
   *     names the plane, never its credentials
   */
  Connection connect(long companyId, String plane);
}
