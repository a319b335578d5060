package io.nql.planner.rosetta.classify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Precision and recall of a classifier on a labelled corpus. A suggestion is correct when its
 * attribute is the column's label; precision is correct / suggested, recall correct / labelled
 * positives (columns whose label is not {@code none}).
 */
final class Scores {
  /** The goals of the classifier at its default threshold. */
  static final double PRECISION_GOAL = 0.9;

  static final double RECALL_GOAL = 0.8;

  /** One column the classifier got wrong: a wrong or missing suggestion. */
  record Miss(String dataset, Corpus.Column column, Suggestion suggested) {}

  /** Per attribute: labelled, suggested, correct. */
  private final Map<String, int[]> counts = new TreeMap<>();

  private final List<Miss> misses = new ArrayList<>();

  private Scores() {}

  static Scores of(Corpus corpus, Function<List<ColumnSample>, List<Suggestion>> classifier) {
    Scores s = new Scores();
    for (Corpus.Dataset d : corpus.datasets()) {
      Map<String, Suggestion> byColumn = new HashMap<>();
      for (Suggestion x : classifier.apply(d.samples())) {
        byColumn.put(x.column(), x);
      }
      for (Corpus.Column c : d.columns()) {
        Suggestion x = byColumn.get(c.name());
        if (c.positive()) {
          s.row(c.label())[0]++;
        }
        if (x != null) {
          s.row(x.attribute())[1]++;
        }
        if (x != null && x.attribute().equals(c.label())) {
          s.row(c.label())[2]++;
        } else if (x != null || c.positive()) {
          s.misses.add(new Miss(d.name(), c, x));
        }
      }
    }
    return s;
  }

  private int[] row(String attribute) {
    return counts.computeIfAbsent(attribute, k -> new int[3]);
  }

  /** Attribute → {labelled, suggested, correct}, by attribute name. */
  Map<String, int[]> byAttribute() {
    return counts;
  }

  List<Miss> misses() {
    return misses;
  }

  int labelled() {
    return counts.values().stream().mapToInt(c -> c[0]).sum();
  }

  int suggested() {
    return counts.values().stream().mapToInt(c -> c[1]).sum();
  }

  int correct() {
    return counts.values().stream().mapToInt(c -> c[2]).sum();
  }

  /** Correct / suggested (1 when nothing is suggested). */
  double precision() {
    return suggested() == 0 ? 1 : (double) correct() / suggested();
  }

  /** Correct / labelled positives. */
  double recall() {
    return labelled() == 0 ? 1 : (double) correct() / labelled();
  }
}
