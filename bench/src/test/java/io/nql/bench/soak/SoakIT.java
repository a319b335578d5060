package io.nql.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The short soak CI runs: {@code bench/soak} with the options of the system property {@code
 * nql.test.soak} (the {@code ci} profile sets a 2-minute run), on the jar and class path this build
 * just packaged. The soak checks errors, heap, Arrow memory and the ledger itself and exits
 * non-zero when one fails; its report goes to this test's output. Skipped when the property is
 * empty (a developer's {@code mvn verify}).
 */
class SoakIT {
  @Test
  void theSoakPassesEveryCheck() throws Exception {
    String options = System.getProperty("nql.test.soak", "").strip();
    assumeTrue(!options.isEmpty(), "no soak options in nql.test.soak (set by the ci profile)");
    Path root = Path.of(System.getProperty("nql.root")).toRealPath();
    List<String> command = new ArrayList<>(List.of("bash", "bench/soak"));
    command.addAll(Arrays.asList(options.split("\\s+")));
    command.addAll(List.of("--work-dir", "bench/target/soak-it"));
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).inheritIO();
    pb.environment().put("NQL_BENCH_REBUILD", "0");
    pb.redirectOutput(new File(root.toFile(), "bench/target/soak-it.log"));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    boolean ended = p.waitFor(20, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly();
    }
    String log = java.nio.file.Files.readString(root.resolve("bench/target/soak-it.log"));
    System.out.println(log);
    assertThat(ended).as("the soak ended within 20 minutes").isTrue();
    assertThat(p.exitValue()).as("the soak's exit code (its report above)").isZero();
  }
}
