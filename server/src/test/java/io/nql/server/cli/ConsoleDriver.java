package io.nql.server.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.ControlChar;
import org.jline.terminal.Attributes.InputFlag;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Attributes.OutputFlag;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;

/**
 * Drives a {@link Console} as a person at a terminal would: keys go into a JLine {@link
 * ExternalTerminal} with a line discipline (so Ctrl-C raises SIGINT, as a pseudo-terminal does),
 * and what the console draws is collected with the terminal's escape sequences removed.
 */
final class ConsoleDriver implements AutoCloseable {
  private static final Pattern ESCAPES =
      Pattern.compile(
          "\u001b\\[[0-9;?]*[ -/]*[@-~]|\u001b[=>]|\u001b\\][^\u0007]*\u0007|[\u0000-\u0009\u000b-\u001f]");

  private final PipedOutputStream keys = new PipedOutputStream();
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
  private final Terminal terminal;
  private final CompletableFuture<Integer> exit;

  /** Starts a console on {@code session} in a terminal {@code columns} wide. */
  ConsoleDriver(ConsoleSession session, int columns, Path history) {
    try {
      PipedInputStream in = new PipedInputStream(keys, 1 << 16);
      terminal =
          new ExternalTerminal(
              null,
              "test",
              "xterm-256color",
              in,
              screen,
              StandardCharsets.UTF_8,
              Terminal.SignalHandler.SIG_DFL,
              false,
              ttyAttributes(),
              new Size(columns, 24));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    exit = CompletableFuture.supplyAsync(() -> new Console(terminal, session, history).run());
  }

  /** A terminal's usual settings: canonical input with echo, Ctrl-C and Ctrl-D as signals. */
  private static Attributes ttyAttributes() {
    Attributes a = new Attributes();
    a.setLocalFlag(LocalFlag.ISIG, true);
    a.setLocalFlag(LocalFlag.ICANON, true);
    a.setLocalFlag(LocalFlag.ECHO, true);
    a.setInputFlag(InputFlag.ICRNL, true);
    a.setOutputFlag(OutputFlag.OPOST, true);
    a.setOutputFlag(OutputFlag.ONLCR, true);
    a.setControlChar(ControlChar.VINTR, 3);
    a.setControlChar(ControlChar.VEOF, 4);
    a.setControlChar(ControlChar.VERASE, 127);
    return a;
  }

  /** Types text (a {@code \n} is Enter). */
  ConsoleDriver type(String text) {
    try {
      keys.write(text.getBytes(StandardCharsets.UTF_8));
      keys.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  ConsoleDriver ctrlC() {
    return type("\u0003");
  }

  ConsoleDriver ctrlD() {
    return type("\u0004");
  }

  /** Everything drawn so far, without escape sequences and control characters but newlines. */
  String screen() {
    return ESCAPES.matcher(screen.toString(StandardCharsets.UTF_8)).replaceAll("");
  }

  /** Waits until the screen holds {@code text} {@code times} times; returns the screen. */
  String waitFor(String text, int times, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String s = screen();
      if (count(s, text) >= times) {
        return s;
      }
      if (System.nanoTime() > deadline || exit.isDone()) {
        throw new AssertionError(
            "waited " + timeout + " for " + times + " × '" + text + "'; the screen:\n" + s);
      }
      sleep(20);
    }
  }

  /** Waits until the screen holds {@code text}; returns the screen. */
  String waitFor(String text) {
    return waitFor(text, 1, Duration.ofSeconds(60));
  }

  /** Waits for the next prompt after {@code n} prompts were shown in all. */
  String waitForPrompt(int n) {
    return waitFor(Console.PROMPT, n, Duration.ofSeconds(60));
  }

  static int count(String s, String text) {
    int n = 0;
    for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + text.length())) {
      n++;
    }
    return n;
  }

  /** The console's exit status, once it has quit. */
  int exitStatus(Duration timeout) throws Exception {
    return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean hasQuit() {
    return exit.isDone();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() throws IOException {
    if (!exit.isDone()) {
      type("\\q\n");
      try {
        exit.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the test has failed already; the terminal is closed below
      }
    }
    terminal.close();
    keys.close();
  }
}
