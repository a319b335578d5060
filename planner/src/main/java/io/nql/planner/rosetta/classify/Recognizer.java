package io.nql.planner.rosetta.classify;

import java.util.List;

/** Recognizes the columns of one attribute (or a family of related attributes). */
interface Recognizer {
  /**
   * Candidate suggestions for one column, whatever their confidence (the classifier applies the
   * threshold), or none when the values do not have the attribute's shape.
   */
  List<Suggestion> recognize(ColumnProfile column, Dataset dataset);

  /** The attributes this recognizer can propose. */
  List<String> attributes();
}
