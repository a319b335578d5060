package io.nql.server.cli;

import io.nql.planner.engine.Charge;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The interactive console of {@code nql shell}: reads statements with JLine (history, editing,
 * statements over several lines up to {@code ;}), runs them on a {@link ConsoleSession} and draws
 * each result as a table that fits the terminal, followed by its row count, elapsed time, warnings
 * and charge. Errors print as {@code ERROR <SQLSTATE>: <message>} and the console goes on. Ctrl-C
 * cancels the running statement, or at the prompt clears the input; {@code \q} or Ctrl-D quits.
 */
final class Console {
  static final String PROMPT = "nql> ";
  static final String CONTINUATION = "  -> ";

  private static final String HELP =
      String.join(
          "\n",
          "Statements end with ; and may span several lines.",
          "  \\d           list the tables you may query",
          "  \\d TABLE     describe a table: its columns and their types",
          "  \\dn          list the schemas",
          "  \\?           this help",
          "  \\q           quit (also Ctrl-D)",
          "Ctrl-C cancels a running statement, or clears the input at the prompt.",
          "After each result: the rows, the time taken, warnings (e.g. 01N01, a budget reached)",
          "and what the statement charged you.");

  private final Terminal terminal;
  private final ConsoleSession session;
  private final Path historyFile;
  private final PrintWriter out;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean cancelRequested;

  /**
   * A console.
   *
   * @param historyFile where history is kept, or {@code null} for none
   */
  Console(Terminal terminal, ConsoleSession session, Path historyFile) {
    this.terminal = terminal;
    this.session = session;
    this.historyFile = historyFile;
    this.out = terminal.writer();
  }

  /** Runs until {@code \q} or end of input; returns the exit status (0). */
  int run() {
    LineReader reader = reader();
    out.println(
        "Connected to "
            + session.target()
            + " as "
            + session.user()
            + ". \\? for help, \\q to quit.");
    out.flush();
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> interrupt());
    try {
      boolean more = true;
      while (more) {
        String input;
        try {
          input = reader.readLine(PROMPT);
        } catch (UserInterruptException e) {
          continue;
        } catch (EndOfFileException e) {
          break;
        }
        for (String piece : StatementParser.split(input)) {
          more = piece.startsWith("\\") ? command(piece) : statement(piece);
          if (!more) {
            break;
          }
        }
      }
    } finally {
      terminal.handle(Terminal.Signal.INT, previous);
      saveHistory(reader);
      out.flush();
    }
    return 0;
  }

  private LineReader reader() {
    LineReaderBuilder b =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("nql")
            .parser(new StatementParser())
            .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
            .variable(LineReader.BLINK_MATCHING_PAREN, 0)
            // SQL's ! and tabs are text, not history events or completion requests
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
            .option(LineReader.Option.INSERT_TAB, true);
    if (historyFile != null) {
      try {
        ConsoleHistory.prepare(historyFile);
        b.history(new ConsoleHistory()).variable(LineReader.HISTORY_FILE, historyFile);
      } catch (IOException e) {
        out.println("History is not kept: cannot create " + historyFile + ": " + e.getMessage());
      }
    }
    return b.build();
  }

  private void saveHistory(LineReader reader) {
    if (historyFile != null) {
      try {
        reader.getHistory().save();
      } catch (IOException e) {
        out.println("Cannot save history to " + historyFile + ": " + e.getMessage());
      }
    }
  }

  /**
   * Ctrl-C while a statement runs: cancel it (at the prompt the reader handles Ctrl-C). The cancel
   * runs on a thread of its own: a gateway's cancel is an HTTP call, and the signal's thread (for
   * some terminals the one that reads the keyboard) must not wait for it.
   */
  private void interrupt() {
    if (running.get()) {
      cancelRequested = true;
      Thread cancel = new Thread(session::cancel, "nql-console-cancel");
      cancel.setDaemon(true);
      cancel.start();
    }
  }

  /** Runs a statement and prints its outcome; returns true (the console goes on). */
  private boolean statement(String sql) {
    long start = System.nanoTime();
    cancelRequested = false;
    running.set(true);
    ConsoleSession.Execution execution = null;
    try {
      execution = session.execute(sql);
      String summary;
      if (execution.isQuery()) {
        long rows =
            TextTable.print(
                execution.columnNames(), execution.numeric(), execution::next, width(), out);
        summary = (rows == 1 ? "(1 row, " : "(" + rows + " rows, ") + elapsed(start) + ")";
      } else {
        long n = execution.updateCount();
        summary = (n == 1 ? "OK, 1 row" : "OK, " + n + " rows") + " (" + elapsed(start) + ")";
      }
      List<SQLWarning> warnings = execution.warnings();
      boolean query = execution.isQuery();
      ConsoleSession.Execution done = execution;
      execution = null;
      done.close();
      running.set(false);
      out.println(summary);
      for (SQLWarning w : warnings) {
        // Class 00 is a notice of success (a directory load's files and rows), not a warning.
        boolean notice = w.getSQLState() != null && w.getSQLState().startsWith("00");
        out.println((notice ? "NOTICE: " : "WARNING " + w.getSQLState() + ": ") + w.getMessage());
      }
      if (query) {
        Charge charge = done.charge();
        if (charge != null) {
          out.println(
              "Charge: "
                  + (charge.rows() == 1 ? "1 row, " : charge.rows() + " rows, ")
                  + charge.usd().toPlainString()
                  + " USD");
        }
      }
    } catch (SQLException e) {
      error(e);
    } catch (RuntimeException e) {
      out.println("ERROR XX000: internal error: " + e.getMessage());
    } finally {
      running.set(false);
      if (execution != null) {
        try {
          execution.close();
        } catch (SQLException | RuntimeException e) {
          // the statement already failed: its error is what the user needs
        }
      }
      out.flush();
    }
    return true;
  }

  private void error(SQLException e) {
    String state = e.getSQLState();
    String message = e.getMessage();
    if (state == null && cancelRequested) {
      // a driver that ends a cancelled statement without a SQLSTATE
      state = "57014";
      message = "Statement was cancelled";
    }
    out.println("ERROR " + (state == null ? "HY000" : state) + ": " + message);
  }

  /** Runs a backslash command; returns false to quit. */
  private boolean command(String line) {
    String[] words = line.trim().split("\\s+", 2);
    String arg = words.length > 1 ? words[1].trim() : "";
    try {
      switch (words[0]) {
        case "\\q" -> {
          return false;
        }
        case "\\?" -> out.println(HELP);
        case "\\d" -> {
          if (arg.isEmpty()) {
            listTables();
          } else {
            describe(arg);
          }
        }
        case "\\dn" -> {
          List<String> schemas = new ArrayList<>(session.schemas());
          schemas.sort(Comparator.naturalOrder());
          table(List.of("schema"), schemas.stream().map(s -> new String[] {s}).toList());
        }
        default -> out.println("Unknown command " + words[0] + ": \\? lists the commands.");
      }
    } catch (SQLException e) {
      error(e);
    } catch (RuntimeException e) {
      out.println("ERROR XX000: internal error: " + e.getMessage());
    }
    out.flush();
    return true;
  }

  private void listTables() throws SQLException {
    List<String[]> rows = new ArrayList<>();
    for (ConsoleSession.TableName t : sorted(session.tables())) {
      rows.add(new String[] {t.schema(), t.name(), t.type()});
    }
    table(List.of("schema", "name", "type"), rows);
  }

  /** {@code \d name}: each table the name can mean, with its columns. */
  private void describe(String name) throws SQLException {
    List<ConsoleSession.TableName> matches = new ArrayList<>();
    for (ConsoleSession.TableName t : sorted(session.tables())) {
      if (TableNames.matches(name, t.schema(), t.name())) {
        matches.add(t);
      }
    }
    if (matches.isEmpty()) {
      throw new SQLException("Unknown table or insufficient table permissions: " + name, "42P01");
    }
    for (ConsoleSession.TableName t : matches) {
      List<String[]> rows = new ArrayList<>();
      for (ConsoleSession.Column c : session.columns(t)) {
        rows.add(new String[] {c.name(), c.type(), c.nullable() ? "YES" : "NO"});
      }
      out.println(t.type().toLowerCase(Locale.ROOT) + " " + t.schema() + "." + t.name());
      table(List.of("column", "type", "nullable"), rows);
    }
  }

  private static List<ConsoleSession.TableName> sorted(List<ConsoleSession.TableName> tables) {
    List<ConsoleSession.TableName> out = new ArrayList<>(tables);
    out.sort(
        Comparator.comparing(ConsoleSession.TableName::schema)
            .thenComparing(ConsoleSession.TableName::name));
    return out;
  }

  private void table(List<String> headers, List<String[]> rows) {
    java.util.Iterator<String[]> it = rows.iterator();
    TextTable.Rows<RuntimeException> source = () -> it.hasNext() ? it.next() : null;
    TextTable.print(headers, new boolean[headers.size()], source, width(), out);
  }

  private int width() {
    int w = terminal.getWidth();
    return w > 0 ? w : TextTable.UNLIMITED;
  }

  /** {@code 12 ms}, {@code 2.35 s}. */
  static String elapsed(long startNanos) {
    long ms = (System.nanoTime() - startNanos) / 1_000_000;
    return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
  }
}
