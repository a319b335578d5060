package io.nql.server.cli;

import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nql sql}: runs one statement in-process against a warehouse and prints the result. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run one NQL statement in-process against a warehouse and print its result.",
      "Local file access is trusted (as with sqlite): no password is asked; the user only",
      "chooses whose view of the marketplace you get."
    },
    footer = {
      "",
      "Examples:",
      "  nql sql --warehouse ./demo-warehouse --user acme_user \"SHOW DATASETS\"",
      "  nql sql --warehouse ./wh --user acme_user --format csv \\",
      "      \"SELECT country, COUNT(*) AS n FROM company_data.mobile_events GROUP BY country\"",
      "",
      "Exit status: 0 on success, 1 when the statement fails (the error is printed as",
      "ERROR <SQLSTATE>: <message>), 2 on an internal error."
    })
final class SqlCommand implements Callable<Integer> {
  @Mixin WarehouseOptions warehouse;

  @Option(
      names = "--user",
      required = true,
      paramLabel = "USER",
      description = "Run as this user (e.g. admin, acme_user).")
  String user;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ResultPrinter.Format format;

  @Parameters(
      paramLabel = "STATEMENT",
      arity = "0..1",
      description = "One NQL statement. Without it, at a terminal: the console (nql shell).")
  String statement;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (statement == null) {
      return console();
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (NqlEngine engine = NqlEngine.open(warehouse.config(true))) {
      engine.generatedAdminPassword().ifPresent(p -> Banner.adminPassword(err, p));
      try (NqlSession session = engine.trusted(user)) {
        // a long load or maintenance statement (COPY INTO, OPTIMIZE, VACUUM) draws its progress
        ProgressBar bar = new ProgressBar(err, System.console() != null);
        session.setProgressListener(bar);
        try (StatementResult result = session.execute(statement)) {
          bar.finish();
          ResultPrinter.print(result, format, out, err);
        } finally {
          bar.finish();
        }
      }
    }
    return 0;
  }

  /** No statement: the console on this warehouse when at a terminal, else a usage error. */
  private int console() throws Exception {
    if (System.console() == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "Missing STATEMENT (without one, nql sql opens the console, at a terminal only)");
    }
    try (org.jline.terminal.Terminal terminal = ShellCommand.systemTerminal();
        ConsoleSession session = ShellCommand.engine(warehouse, user, null, terminal.writer())) {
      return new Console(terminal, session, ShellCommand.defaultHistory()).run();
    }
  }
}
