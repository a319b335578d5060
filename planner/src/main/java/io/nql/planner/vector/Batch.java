package io.nql.planner.vector;

import org.apache.arrow.vector.FieldVector;

/** Columns of equal length, owned by whoever holds the batch until it is closed. */
final class Batch implements AutoCloseable {
  final FieldVector[] vectors;
  final int rows;

  Batch(FieldVector[] vectors, int rows) {
    this.vectors = vectors;
    this.rows = rows;
  }

  @Override
  public void close() {
    for (FieldVector v : vectors) {
      if (v != null) {
        v.close();
      }
    }
  }
}
