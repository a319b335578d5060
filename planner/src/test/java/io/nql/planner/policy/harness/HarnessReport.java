package io.nql.planner.policy.harness;

import io.nql.planner.policy.harness.Observation.Aspect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The failures of one harness run, all of them: grouped by check and by the observables that
 * differed, each group with its shortest statements as examples (seed, statement, both
 * observations), so that one run shows every kind of failure at once.
 */
public final class HarnessReport {
  /**
   * One statement whose two observations differ.
   *
   * @param check what was compared ({@code "hidden rows"}, {@code "oracle"}, …)
   * @param executor how the statement ran ({@code vector}, {@code row}, {@code jdbc:nql}, …)
   * @param statement the statement as {@link HarnessStatement#describe} shows it
   * @param sqlLength the length of its SQL, to show the shortest examples first
   */
  public record Failure(
      String check,
      String executor,
      String statement,
      int sqlLength,
      Set<Aspect> aspects,
      String leftName,
      Observation left,
      String rightName,
      Observation right) {

    String render() {
      return "  ["
          + executor
          + "] "
          + statement
          + "\n    differs in "
          + aspects
          + "\n    "
          + leftName
          + ": "
          + left.render()
          + "\n    "
          + rightName
          + ": "
          + right.render();
    }
  }

  /** A failure of an expectation that is not a comparison of two observations. */
  public record Expectation(String check, String executor, String statement, String message) {}

  /** Examples kept per note. */
  private static final int NOTE_EXAMPLES = 5;

  private final String title;
  private final long seed;
  private final List<Failure> failures = new ArrayList<>();
  private final List<Expectation> expectations = new ArrayList<>();
  private final AtomicInteger statements = new AtomicInteger();
  private final AtomicInteger comparisons = new AtomicInteger();
  private final Map<String, Integer> notes = new TreeMap<>();
  private final Map<String, List<String>> noteExamples = new TreeMap<>();

  public HarnessReport(String title, long seed) {
    this.title = title;
    this.seed = seed;
  }

  public void statement() {
    statements.incrementAndGet();
  }

  public void compared() {
    comparisons.incrementAndGet();
  }

  /** Adds a difference between two observations of {@code s}. */
  public void difference(
      String check,
      String executor,
      HarnessStatement s,
      java.util.Map<String, String> tables,
      Set<Aspect> aspects,
      String leftName,
      Observation left,
      String rightName,
      Observation right) {
    add(
        new Failure(
            check,
            executor,
            s.describe(tables),
            s.render(tables).sql().length(),
            aspects,
            leftName,
            left,
            rightName,
            right));
  }

  /** Adds a failed expectation about {@code s}. */
  public void expectation(
      String check,
      String executor,
      HarnessStatement s,
      java.util.Map<String, String> tables,
      String message) {
    add(new Expectation(check, executor, s.describe(tables), message));
  }

  /** Counts an event worth showing in the summary (e.g. checks skipped). */
  public synchronized void note(String what) {
    notes.merge(what, 1, Integer::sum);
  }

  /** Counts an event, keeping its first few examples for the report file. */
  public synchronized void note(String what, String example) {
    note(what);
    List<String> kept = noteExamples.computeIfAbsent(what, k -> new ArrayList<>());
    if (kept.size() < NOTE_EXAMPLES) {
      kept.add(example);
    }
  }

  public synchronized void add(Failure f) {
    failures.add(f);
  }

  public synchronized void add(Expectation e) {
    expectations.add(e);
  }

  public synchronized List<Failure> failures() {
    return List.copyOf(failures);
  }

  public synchronized List<Expectation> expectations() {
    return List.copyOf(expectations);
  }

  /** Whether the run has no failure. */
  public synchronized boolean isEmpty() {
    return failures.isEmpty() && expectations.isEmpty();
  }

  public int statements() {
    return statements.get();
  }

  /**
   * Every failure, grouped, with {@code examples} statements per group (and as many examples of
   * each note).
   */
  public synchronized String summary(int examples) {
    StringBuilder sb = new StringBuilder();
    sb.append(title)
        .append(": ")
        .append(failures.size() + expectations.size())
        .append(" failures in ")
        .append(statements.get())
        .append(" statements (")
        .append(comparisons.get())
        .append(" comparisons), seed ")
        .append(seed)
        .append(" (rerun with -Dnql.harness.seed=")
        .append(seed)
        .append(")\n");
    notes.forEach(
        (k, v) -> {
          sb.append("  ").append(k).append(": ").append(v).append('\n');
          List<String> kept = noteExamples.getOrDefault(k, List.of());
          kept.subList(0, Math.min(examples, kept.size()))
              .forEach(e -> sb.append("      e.g. ").append(e).append('\n'));
        });
    Map<String, List<Failure>> groups = new TreeMap<>();
    for (Failure f : failures) {
      groups.computeIfAbsent(f.check() + " / " + f.aspects(), k -> new ArrayList<>()).add(f);
    }
    for (Map.Entry<String, List<Failure>> g : groups.entrySet()) {
      List<Failure> list = new ArrayList<>(g.getValue());
      list.sort(Comparator.comparingInt(Failure::sqlLength));
      sb.append("\n== ").append(g.getKey()).append(": ").append(list.size()).append('\n');
      for (Failure f : list.subList(0, Math.min(examples, list.size()))) {
        sb.append(f.render()).append('\n');
      }
    }
    Map<String, List<Expectation>> byCheck = new TreeMap<>();
    for (Expectation e : expectations) {
      byCheck.computeIfAbsent(e.check(), k -> new ArrayList<>()).add(e);
    }
    for (Map.Entry<String, List<Expectation>> g : byCheck.entrySet()) {
      List<Expectation> list = new ArrayList<>(g.getValue());
      list.sort(Comparator.comparingInt(e -> e.statement().length()));
      sb.append("\n== ").append(g.getKey()).append(": ").append(list.size()).append('\n');
      for (Expectation e : list.subList(0, Math.min(examples, list.size()))) {
        sb.append("  [")
            .append(e.executor())
            .append("] ")
            .append(e.statement())
            .append("\n    ")
            .append(e.message())
            .append('\n');
      }
    }
    return sb.toString();
  }

  /** Writes every failure (not only examples) below {@code dir}; returns the file. */
  public Path write(Path dir) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(title.replaceAll("[^A-Za-z0-9]+", "-") + ".txt");
      Files.writeString(file, summary(Integer.MAX_VALUE));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
