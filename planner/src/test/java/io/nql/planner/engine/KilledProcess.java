package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test's child JVM that prints {@code DONE k} after its k-th statement returns, killed with
 * SIGKILL soon after a given {@code DONE} — in the middle of its next statement.
 */
final class KilledProcess {
  private KilledProcess() {}

  /**
   * Runs {@code main} with {@code args} on the test's class path, kills it 150 ms after it printed
   * {@code DONE killAt}, and returns that count ({@code done} when it printed none).
   *
   * @param err where the child's standard error goes (shown when it stopped early)
   */
  static int runUntilKilled(Class<?> main, List<String> args, Path err, int killAt, int done)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectError(err.toFile());
    Process child = pb.start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        if (line.startsWith("DONE ")) {
          done = Integer.parseInt(line.substring(5));
          if (done >= killAt) {
            Thread.sleep(150); // into the next statement
            child.toHandle().destroyForcibly(); // SIGKILL
          }
        }
      }
    }
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(done).as("%s %s", lines, Files.readString(err)).isEqualTo(killAt);
    return done;
  }
}
