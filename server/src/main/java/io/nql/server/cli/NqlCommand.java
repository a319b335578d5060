package io.nql.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nql} command: NQL Gateway's command line. */
@Command(
    name = "nql",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "NQL Gateway: governed, priced data sharing over SQL.",
      "",
      "Start a gateway with a demo marketplace, then connect to jdbc:nql://localhost:8765:",
      "  nql serve --demo",
      "Or query a warehouse in-process:",
      "  nql sql --warehouse ./demo-warehouse --user acme_user \"SHOW DATASETS\"",
      "Or work at the console:",
      "  nql shell --url jdbc:nql://localhost:8765 --user buyer_user"
    },
    subcommands = {
      ServeCommand.class,
      SqlCommand.class,
      ShellCommand.class,
      DemoCommand.class,
      IngestCommand.class,
      CommandLine.HelpCommand.class
    })
public final class NqlCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    bufferPoolDefaults();
    System.exit(execute(args));
  }

  /**
   * Netty's buffer pool (Arrow's vectors and gRPC's frames) in 16 MiB chunks instead of its default
   * 4 MiB, unless the operator chose otherwise ({@code -Dio.netty.allocator.maxOrder}): a scan's
   * batch vectors take about a megabyte each, and with 4 MiB chunks every batch emptied a chunk,
   * which Netty then returned to the system and mapped again for the next batch (page faults on
   * every batch; about 13 % of a full scan's CPU). Set before any Netty class loads.
   */
  static void bufferPoolDefaults() {
    if (System.getProperty("io.netty.allocator.maxOrder") == null) {
      System.setProperty("io.netty.allocator.maxOrder", "11");
    }
  }

  /** Runs the command line and returns its exit status (0 on success). */
  public static int execute(String... args) {
    return execute(
        new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs the command line with the given output and error writers. */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new NqlCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(new ErrorHandler());
    int status = cl.execute(args);
    out.flush();
    err.flush();
    return status;
  }
}
