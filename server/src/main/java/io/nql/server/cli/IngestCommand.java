package io.nql.server.cli;

import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.engine.StatementWarning;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nql ingest}: loads a file or a directory into a dataset with COPY INTO, showing progress.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Load a CSV, Parquet or JSON-lines file, or every file of a directory, into a dataset",
      "of the user's company (COPY INTO company_data.<dataset> FROM '<file>'). The dataset is",
      "created with an inferred schema when it does not exist. The load is all-or-nothing: on",
      "any bad value nothing is committed. A progress bar is shown when stderr is a terminal."
    },
    footer = {
      "",
      "Files are read from the user's company area below each ingest root,",
      "<root>/<company_slug>/; a relative FILE is relative to that area under the first root.",
      "",
      "Example (reads ./incoming/acme/events.csv when acme_user is in company acme):",
      "  nql ingest --warehouse ./wh --ingest-root ./incoming --user acme_user \\",
      "      --dataset events events.csv",
      "",
      "Exit status: 0 on success, 1 when the load fails, 2 on an internal error."
    })
final class IngestCommand implements Callable<Integer> {
  @Mixin WarehouseOptions warehouse;

  @Option(
      names = "--user",
      required = true,
      paramLabel = "USER",
      description = "Load as this user.")
  String user;

  @Option(
      names = "--dataset",
      required = true,
      paramLabel = "NAME",
      description = "Target dataset of the user's company.")
  String dataset;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "csv, parquet or json (default: from the file extension).")
  String format;

  @Option(
      names = "--header",
      paramLabel = "BOOL",
      description = "Whether a CSV file starts with a header row (default: true).")
  Boolean header;

  @Option(
      names = "--delimiter",
      paramLabel = "CHAR",
      description = "CSV field delimiter (default: ',').")
  String delimiter;

  @Option(
      names = "--pattern",
      paramLabel = "GLOB",
      description = "For a directory: load only the files matching GLOB (e.g. '*.csv').")
  String pattern;

  @Option(
      names = "--incremental",
      description = "Load only the files not loaded into the dataset before.")
  boolean incremental;

  @Parameters(
      paramLabel = "FILE",
      description =
          "The file or directory to load, in the user's company area <root>/<company_slug>/:"
              + " absolute, or relative to that area under the first ingest root.")
  String file;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The COPY INTO statement this command runs. */
  String statement() {
    List<String> options = new ArrayList<>();
    if (format != null) {
      options.add("FORMAT = " + literal(format));
    }
    if (header != null) {
      options.add("HEADER = " + (header ? "TRUE" : "FALSE"));
    }
    if (delimiter != null) {
      options.add("DELIMITER = " + literal(delimiter));
    }
    if (pattern != null) {
      options.add("PATTERN = " + literal(pattern));
    }
    if (incremental) {
      options.add("INCREMENTAL = TRUE");
    }
    return "COPY INTO company_data."
        + identifier(dataset)
        + " FROM "
        + literal(file)
        + (options.isEmpty() ? "" : " " + String.join(" ", options));
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String identifier(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (NqlEngine engine = NqlEngine.open(warehouse.config(true))) {
      engine.generatedAdminPassword().ifPresent(p -> Banner.adminPassword(err, p));
      try (NqlSession session = engine.trusted(user)) {
        ProgressBar bar = new ProgressBar(err, System.console() != null);
        session.setProgressListener(bar);
        long started = System.nanoTime();
        try (StatementResult r = session.execute(statement())) {
          bar.finish();
          double secs = (System.nanoTime() - started) / 1e9;
          // A directory load's notice says files and rows; without one, the rows say it all.
          String loaded =
              String.format("Loaded %d rows into company_data.%s", r.updateCount(), dataset);
          for (StatementWarning w : r.warnings()) {
            if (w.sqlState().startsWith("00")) {
              loaded = w.message();
            }
          }
          out.printf("%s in %.1f s%n", loaded, secs);
          for (StatementWarning w : r.warnings()) {
            if (!w.sqlState().startsWith("00")) {
              err.println("WARNING " + w.sqlState() + ": " + w.message());
            }
          }
        } finally {
          bar.finish();
        }
      }
    }
    return 0;
  }
}
