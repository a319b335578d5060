package io.nql.server.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code nql} command line in its own JVM on a real pseudo-terminal, made by util-linux {@code
 * script}: keys written to it reach the terminal's line discipline (Ctrl-C becomes SIGINT for the
 * JVM), and what the program draws is collected.
 */
final class PtyProcess implements AutoCloseable {
  private static final Pattern ESCAPES =
      Pattern.compile(
          "\u001b\\[[0-9;?]*[ -/]*[@-~]|\u001b[=>]|\u001b\\][^\u0007]*\u0007"
              + "|[\u0000-\u0009\u000b-\u001f]");

  private final Process process;
  private final OutputStream keys;
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

  /** Whether {@code script} (util-linux) can make pseudo-terminals here. */
  static boolean available() {
    return Files.isExecutable(Path.of("/usr/bin/script"))
        || Files.isExecutable(Path.of("/bin/script"));
  }

  /**
   * Starts {@code nql ARGS} on a terminal {@code columns} wide.
   *
   * @param env extra environment variables
   */
  PtyProcess(int columns, Path home, Map<String, String> env, String... args) throws IOException {
    List<String> java = new ArrayList<>();
    java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    java.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    java.add("-Duser.home=" + home);
    java.add("-cp");
    java.add(System.getProperty("java.class.path"));
    java.add(NqlCommand.class.getName());
    java.addAll(List.of(args));
    String command =
        "stty cols "
            + columns
            + " rows 24; exec "
            + java.stream().map(PtyProcess::quote).collect(Collectors.joining(" "));
    ProcessBuilder pb =
        new ProcessBuilder(
                "script", "--quiet", "--flush", "--return", "--command", command, "/dev/null")
            .redirectErrorStream(true);
    pb.environment().put("TERM", "xterm-256color");
    pb.environment().putAll(env);
    process = pb.start();
    keys = process.getOutputStream();
    Thread reader = new Thread(this::collect, "pty-output");
    reader.setDaemon(true);
    reader.start();
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private void collect() {
    byte[] buf = new byte[8192];
    try (InputStream in = process.getInputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        synchronized (screen) {
          screen.write(buf, 0, n);
        }
      }
    } catch (IOException e) {
      // the process has ended
    }
  }

  PtyProcess type(String text) {
    try {
      keys.write(text.getBytes(StandardCharsets.UTF_8));
      keys.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** What was drawn, without escape sequences and control characters but newlines. */
  String screen() {
    synchronized (screen) {
      return ESCAPES.matcher(screen.toString(StandardCharsets.UTF_8)).replaceAll("");
    }
  }

  /** Waits until the screen holds {@code text} {@code times} times; returns the screen. */
  String waitFor(String text, int times, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String s = screen();
      if (ConsoleDriver.count(s, text) >= times) {
        return s;
      }
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new AssertionError(
            "waited " + timeout + " for " + times + " × '" + text + "'; the screen:\n" + s);
      }
      ConsoleDriver.sleep(50);
    }
  }

  /** The exit status, once the program has quit. */
  int exitStatus(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + "; the screen:\n" + screen());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
