package io.nql.planner.rosetta.classify;

import java.util.List;
import java.util.function.Predicate;

/** The other columns of the dataset, for evidence that comes from a column's neighbours. */
final class Dataset {
  private final List<ColumnProfile> columns;

  Dataset(List<ColumnProfile> columns) {
    this.columns = List.copyOf(columns);
  }

  List<ColumnProfile> columns() {
    return columns;
  }

  /** The first column other than {@code self} that passes {@code test}, or null. */
  ColumnProfile other(ColumnProfile self, Predicate<ColumnProfile> test) {
    for (ColumnProfile c : columns) {
      if (c != self && test.test(c)) {
        return c;
      }
    }
    return null;
  }
}
