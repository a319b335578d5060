package io.nql.planner.engine;

import java.util.Locale;

/**
 * Where a session's statements come from, as the gateway's metrics count them. A session is {@link
 * #EMBEDDED} until the front end that opened it says otherwise ({@link NqlSession#frontEnd}); the
 * label grants nothing.
 */
public enum FrontEnd {
  /** The JDBC endpoint (Avatica over HTTP): the {@code jdbc:nql://} driver and its clients. */
  JDBC,
  /** The Arrow Flight SQL endpoint. */
  FLIGHT,
  /** {@code nql shell}, connected to a gateway or a warehouse. */
  CONSOLE,
  /** An in-process caller: the command line, {@code jdbc:nql:embedded:}, the demo set-up. */
  EMBEDDED,
  /** The gateway's own scheduler: materialized views run on their schedule. */
  SCHEDULER;

  /**
   * The connection property naming the program that connects over JDBC; {@value
   * #CONSOLE_APPLICATION} marks {@code nql shell}, any other value is ignored.
   */
  public static final String APPLICATION_PROPERTY = "application_name";

  /** The application name {@code nql shell} connects with. */
  public static final String CONSOLE_APPLICATION = "nql shell";

  /** The name as a metric label: lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
