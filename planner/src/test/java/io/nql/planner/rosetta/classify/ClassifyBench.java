package io.nql.planner.rosetta.classify;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The classification benchmark behind {@code bench/classify}: precision and recall of {@link
 * Classifier} per attribute and overall on the labelled corpus, against the goals (precision ≥ 0.9,
 * recall ≥ 0.8) and against a name-only baseline, and every misclassified column with the evidence.
 * Not a test: {@code ClassifierTest} asserts the goals on the checked-in corpus.
 */
public final class ClassifyBench {
  static final String DEFAULT_CORPUS = "planner/src/test/resources/rosetta/corpus";

  private ClassifyBench() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    Path corpusDir = Path.of(DEFAULT_CORPUS);
    Long seed = null;
    Path writeTo = null;
    double threshold = Classifier.DEFAULT_THRESHOLD;
    boolean show = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--corpus" -> corpusDir = Path.of(value(args, ++i));
        case "--seed" -> seed = Long.parseLong(value(args, ++i));
        case "--threshold" -> threshold = Double.parseDouble(value(args, ++i));
        case "--write-corpus" -> writeTo = Path.of(value(args, ++i));
        case "--show-suggestions" -> show = true;
        case "--help", "-h" -> {
          out.println(HELP);
          return;
        }
        default -> {
          System.err.println("classify: unknown option " + args[i] + "\n" + HELP);
          System.exit(2);
        }
      }
    }
    if (writeTo != null) {
      long s = seed == null ? CorpusGenerator.DEFAULT_SEED : seed;
      CorpusGenerator.generate(s).write(writeTo);
      out.printf(Locale.ROOT, "classify: wrote the corpus of seed %d to %s%n", s, writeTo);
      return;
    }
    Corpus corpus;
    String source;
    if (seed != null) {
      corpus = CorpusGenerator.generate(seed);
      source = "generated with seed " + seed + " (not checked in)";
    } else {
      corpus = Corpus.read(corpusDir);
      source = corpusDir.toString();
    }
    Classifier classifier = new Classifier(threshold);
    run(corpus, source, classifier, out);
    if (show) {
      showSuggestions(corpus, classifier, out);
    }
  }

  /** Every suggestion, as {@code SUGGEST MAPPINGS} would list them. */
  static void showSuggestions(Corpus corpus, Classifier classifier, PrintStream out) {
    for (Corpus.Dataset d : corpus.datasets()) {
      out.printf(Locale.ROOT, "%n%s:%n", d.name());
      for (Suggestion s : classifier.suggest(d.samples())) {
        out.printf(
            Locale.ROOT,
            "  %-20s %-20s %.2f  %s%n  %20s %s%n",
            s.column(),
            s.attribute(),
            s.confidence(),
            s.expression(),
            "",
            s.reason());
      }
    }
  }

  static void run(Corpus corpus, String source, Classifier classifier, PrintStream out) {
    List<Corpus.Column> columns = corpus.columns();
    long positives = columns.stream().filter(Corpus.Column::positive).count();
    long values = columns.stream().mapToLong(c -> c.values().size()).sum();
    out.printf(
        Locale.ROOT,
        "corpus: %s%n  %d datasets, %d columns (%d labelled with an attribute, %d none), %,d values%n",
        source,
        corpus.datasets().size(),
        columns.size(),
        positives,
        columns.size() - positives,
        values);
    out.printf(Locale.ROOT, "threshold: %.2f%n%n", classifier.threshold());

    Scores scores = Scores.of(corpus, classifier::suggest); // also the JIT's warm-up
    double millis = Double.MAX_VALUE;
    for (int run = 0; run < 3; run++) {
      long start = System.nanoTime();
      for (Corpus.Dataset d : corpus.datasets()) {
        classifier.suggest(d.samples());
      }
      millis = Math.min(millis, (System.nanoTime() - start) / 1e6);
    }
    Scores names = Scores.of(corpus, new NameOnlyClassifier()::suggest);

    out.printf(
        Locale.ROOT,
        "%-22s %8s %9s %7s %9s %7s   %s%n",
        "attribute",
        "labelled",
        "suggested",
        "correct",
        "precision",
        "recall",
        "name-only P / R");
    for (Map.Entry<String, int[]> e : scores.byAttribute().entrySet()) {
      int[] c = e.getValue();
      int[] n = names.byAttribute().getOrDefault(e.getKey(), new int[3]);
      out.printf(
          Locale.ROOT,
          "%-22s %8d %9d %7d %9s %7s   %s / %s%n",
          e.getKey(),
          c[0],
          c[1],
          c[2],
          ratio(c[2], c[1]),
          ratio(c[2], c[0]),
          ratio(n[2], n[1]),
          ratio(n[2], n[0]));
    }
    out.printf(
        Locale.ROOT,
        "%-22s %8d %9d %7d %9s %7s%n%n",
        "overall",
        scores.labelled(),
        scores.suggested(),
        scores.correct(),
        ratio(scores.correct(), scores.suggested()),
        ratio(scores.correct(), scores.labelled()));

    boolean met =
        scores.precision() >= Scores.PRECISION_GOAL && scores.recall() >= Scores.RECALL_GOAL;
    out.printf(
        Locale.ROOT,
        "profiling classifier: precision %.3f, recall %.3f (goals: precision >= %.1f, recall >= %.1f): %s%n",
        scores.precision(),
        scores.recall(),
        Scores.PRECISION_GOAL,
        Scores.RECALL_GOAL,
        met ? "met" : "NOT met");
    out.printf(
        Locale.ROOT,
        "name-only baseline:   precision %.3f, recall %.3f (%d suggested, %d correct)%n",
        names.precision(),
        names.recall(),
        names.suggested(),
        names.correct());
    out.printf(
        Locale.ROOT,
        "time: %.1f ms for %d columns (%.2f ms per column of ~%,d values; best of 3 after a warm-up)%n%n",
        millis,
        columns.size(),
        millis / columns.size(),
        values / Math.max(1, columns.size()));

    out.print("by threshold (precision / recall):");
    for (double t = 0.4; t < 0.95; t += 0.1) {
      Scores at = Scores.of(corpus, new Classifier(t)::suggest);
      out.printf(Locale.ROOT, "  %.1f: %.2f / %.2f", t, at.precision(), at.recall());
    }
    out.printf(Locale.ROOT, "%n%n");

    out.println("misclassified columns (" + scores.misses().size() + "):");
    if (scores.misses().isEmpty()) {
      out.println("  none");
    }
    for (Scores.Miss m : scores.misses()) {
      out.println("  " + describe(m, corpus, classifier));
    }
    List<String> baselineMisses = new ArrayList<>();
    for (Scores.Miss m : names.misses()) {
      baselineMisses.add(m.dataset() + "." + m.column().name());
    }
    out.printf(
        Locale.ROOT,
        "%nname-only baseline misclassifies %d columns: %s%n",
        baselineMisses.size(),
        String.join(", ", baselineMisses));
  }

  private static String describe(Scores.Miss m, Corpus corpus, Classifier classifier) {
    Corpus.Column c = m.column();
    StringBuilder b =
        new StringBuilder(m.dataset())
            .append('.')
            .append(c.name())
            .append(" (")
            .append(c.sqlType())
            .append(", ")
            .append(c.note())
            .append("): label ")
            .append(c.label());
    if (m.suggested() != null) {
      Suggestion s = m.suggested();
      b.append(
          String.format(
              Locale.ROOT, ", suggested %s (%.2f: %s)", s.attribute(), s.confidence(), s.reason()));
    } else {
      Suggestion best = bestCandidate(m, corpus, classifier);
      b.append(", suggested nothing");
      if (best != null) {
        b.append(
            String.format(
                Locale.ROOT,
                "; best candidate %s (%.2f: %s)",
                best.attribute(),
                best.confidence(),
                best.reason()));
      }
    }
    return b.toString();
  }

  private static Suggestion bestCandidate(Scores.Miss m, Corpus corpus, Classifier classifier) {
    for (Corpus.Dataset d : corpus.datasets()) {
      if (d.name().equals(m.dataset())) {
        for (Suggestion s : classifier.candidates(d.samples())) {
          if (s.column().equals(m.column().name())) {
            return s;
          }
        }
      }
    }
    return null;
  }

  private static String ratio(int numerator, int denominator) {
    return denominator == 0
        ? "-"
        : String.format(Locale.ROOT, "%.2f", (double) numerator / denominator);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException("option " + args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static final String HELP =
      """
      bench/classify [options]: precision and recall of SUGGEST MAPPINGS' classifier on the labelled
      corpus, per attribute and overall, against a name-only baseline, with the misclassified columns.

        --corpus DIR        the corpus to read (default planner/src/test/resources/rosetta/corpus)
        --seed N            generate a fresh corpus with seed N instead of reading one
        --threshold F       the confidence threshold (default 0.6)
        --show-suggestions  also list every suggestion (column, attribute, confidence, expression, reason)
        --write-corpus DIR  write the generated corpus (seed --seed, default 20261206) and stop
      """;
}
