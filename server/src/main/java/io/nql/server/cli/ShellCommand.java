package io.nql.server.cli;

import io.nql.planner.engine.FrontEnd;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.SessionProperty;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nql shell}: the interactive console, on a gateway or a warehouse in this process. */
@Command(
    name = "shell",
    mixinStandardHelpOptions = true,
    description = {
      "Interactive NQL console: statements over several lines up to ;, history, results as"
          + " tables that fit the terminal with their row count, time, warnings and charge.",
      "Connects to a gateway (--url jdbc:nql://host:port) or opens a warehouse in-process"
          + " (--warehouse DIR, as nql sql does). \\? lists the console's commands."
    },
    footer = {
      "",
      "Examples:",
      "  nql shell --url jdbc:nql://localhost:8765 --user buyer_user",
      "  nql shell --warehouse ./demo-warehouse --user acme_user",
      "",
      "The password for --url is read from NQL_PASSWORD, or asked for at the terminal.",
      "History is kept in ~/.nql_history (statements with a PASSWORD '…' never are)."
    })
final class ShellCommand implements Callable<Integer> {
  /** Where to connect: a URL, or a warehouse opened in this process. */
  static final class Target {
    @Option(
        names = "--url",
        paramLabel = "URL",
        required = true,
        description = "jdbc:nql://host:port[?prop=value&…] (a gateway) or jdbc:nql:embedded:DIR.")
    String url;

    @ArgGroup(exclusive = false)
    WarehouseOptions warehouse;
  }

  @ArgGroup(multiplicity = "1")
  Target target;

  @Option(
      names = "--user",
      required = true,
      paramLabel = "USER",
      description = "Run as this user (e.g. acme_user).")
  String user;

  @Option(
      names = "--password",
      paramLabel = "PASSWORD",
      description =
          "Password for --url (prefer NQL_PASSWORD, or leave both out to be asked). Not needed"
              + " with --warehouse or jdbc:nql:embedded:, where local file access is trusted.")
  String password;

  @Option(
      names = "--budget-usd",
      paramLabel = "USD",
      description =
          "Session default budget for statements without a budget clause (default 0: free data"
              + " only).")
  String budgetUsd;

  @Option(
      names = "--history",
      paramLabel = "FILE",
      description = "History file (default: ~/.nql_history).")
  Path history;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws SQLException {
    try (Terminal terminal = systemTerminal()) {
      ConsoleSession session =
          target.url != null
              ? jdbc(target.url, user, password(terminal), budgetUsd)
              : engine(target.warehouse, user, budgetUsd, terminal.writer());
      try (session) {
        return new Console(terminal, session, history != null ? history : defaultHistory()).run();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The terminal the command runs in (a dumb one when input or output is not a terminal). */
  static Terminal systemTerminal() throws IOException {
    return TerminalBuilder.builder().name("nql").system(true).build();
  }

  /** {@code ~/.nql_history}. */
  static Path defaultHistory() {
    return Path.of(System.getProperty("user.home"), ".nql_history");
  }

  /** The password: --password, else NQL_PASSWORD, else asked for (gateways only). */
  private String password(Terminal terminal) {
    if (password != null) {
      return password;
    }
    String env = System.getenv("NQL_PASSWORD");
    if (env != null || target.url.startsWith("jdbc:nql:embedded:")) {
      return env;
    }
    try {
      return LineReaderBuilder.builder()
          .terminal(terminal)
          .build()
          .readLine("Password for " + user + ": ", '*');
    } catch (UserInterruptException | EndOfFileException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "No password given");
    }
  }

  /**
   * A session over a {@code jdbc:nql:} URL.
   *
   * @throws SQLException when the connection fails
   */
  static ConsoleSession jdbc(String url, String user, String password, String budgetUsd)
      throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty(FrontEnd.APPLICATION_PROPERTY, FrontEnd.CONSOLE_APPLICATION);
    if (password != null) {
      props.setProperty("password", password);
    }
    if (budgetUsd != null) {
      props.setProperty(SessionProperty.BUDGET_USD.key(), budgetUsd);
    }
    return new JdbcConsoleSession(url, props);
  }

  /**
   * A session on a warehouse opened in this process, as {@code nql sql} opens it.
   *
   * @throws SQLException when there is no such user or the budget is refused
   */
  static ConsoleSession engine(
      WarehouseOptions warehouse, String user, String budgetUsd, PrintWriter err)
      throws SQLException {
    NqlEngine engine = NqlEngine.open(warehouse.config(true));
    try {
      engine.generatedAdminPassword().ifPresent(p -> Banner.adminPassword(err, p));
      EngineConsoleSession session =
          new EngineConsoleSession(
              engine.trusted(user),
              warehouse.warehouse.toString(),
              engine::close,
              new ProgressBar(err, System.console() != null));
      if (budgetUsd != null) {
        session.setProperty(SessionProperty.BUDGET_USD.key(), budgetUsd);
      }
      return session;
    } catch (SQLException | RuntimeException e) {
      engine.close();
      throw e;
    }
  }
}
