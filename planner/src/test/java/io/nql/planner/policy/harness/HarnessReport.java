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
   * @param issue the known issue that explains it, or null
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
      Observation right,
      KnownIssue issue) {

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

  /**
   * A failure of an expectation that is not a comparison of two observations.
   *
   * @param issue the known issue that explains it, or null
   */
  public record Expectation(
      String check, String executor, String statement, String message, KnownIssue issue) {}

  private final String title;
  private final long seed;
  private final List<Failure> failures = new ArrayList<>();
  private final List<Expectation> expectations = new ArrayList<>();
  private final AtomicInteger statements = new AtomicInteger();
  private final AtomicInteger comparisons = new AtomicInteger();
  private final Map<String, Integer> notes = new TreeMap<>();

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

  /** Adds a difference between two observations of {@code s}, triaged by {@link Triage}. */
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
            right,
            Triage.difference(s, aspects, left, right)));
  }

  /** Adds a failed expectation about {@code s}, triaged by {@link Triage#expectation}. */
  public void expectation(
      String check,
      String executor,
      HarnessStatement s,
      java.util.Map<String, String> tables,
      String message) {
    add(
        new Expectation(
            check, executor, s.describe(tables), message, Triage.expectation(check, s, message)));
  }

  /** Counts an event worth showing in the summary (e.g. checks skipped). */
  public synchronized void note(String what) {
    notes.merge(what, 1, Integer::sum);
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

  /** Whether the run has no failure other than tolerated ones of open known issues. */
  public synchronized boolean isEmpty() {
    return failures.stream().allMatch(f -> tolerated(f.issue()))
        && expectations.stream().allMatch(e -> tolerated(e.issue()));
  }

  private static boolean tolerated(KnownIssue issue) {
    return issue != null && issue.tolerated();
  }

  public int statements() {
    return statements.get();
  }

  /**
   * Every failure, grouped, with {@code examples} statements per group: first those that fail the
   * run, then the tolerated ones of open known issues.
   */
  public synchronized String summary(int examples) {
    long failing =
        failures.stream().filter(f -> !tolerated(f.issue())).count()
            + expectations.stream().filter(e -> !tolerated(e.issue())).count();
    StringBuilder sb = new StringBuilder();
    sb.append(title)
        .append(": ")
        .append(failing)
        .append(" failures (")
        .append(failures.size() + expectations.size() - failing)
        .append(" more tolerated as known issues) in ")
        .append(statements.get())
        .append(" statements (")
        .append(comparisons.get())
        .append(" comparisons), seed ")
        .append(seed)
        .append(" (rerun with -Dnql.harness.seed=")
        .append(seed)
        .append(")\n");
    notes.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
    groups(sb, false, examples);
    if (failing < failures.size() + expectations.size()) {
      sb.append("\n######## Tolerated: open known issues (-D")
          .append(KnownIssue.PROPERTY)
          .append("=ALL to fail on them)\n");
      groups(sb, true, examples);
    }
    return sb.toString();
  }

  private void groups(StringBuilder sb, boolean tolerated, int examples) {
    Map<String, List<Failure>> groups = new TreeMap<>();
    for (Failure f : failures) {
      if (tolerated(f.issue()) == tolerated) {
        String key = (tolerated ? f.issue() + ": " : "") + f.check() + " / " + f.aspects();
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
      }
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
      if (tolerated(e.issue()) == tolerated) {
        String key = (tolerated ? e.issue() + ": " : "") + e.check();
        byCheck.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
      }
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
