package io.nql.planner.vector;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.util.TransferPair;

/** Copies selected rows, or a range of rows, of a batch into a new batch. */
final class Selections {
  private Selections() {}

  /** The rows at {@code selection} (ascending), copied. */
  static Batch compact(Batch in, int[] selection, BufferAllocator allocator) {
    FieldVector[] out = new FieldVector[in.vectors.length];
    boolean done = false;
    try {
      for (int c = 0; c < out.length; c++) {
        FieldVector from = in.vectors[c];
        FieldVector to = (FieldVector) from.getTransferPair(allocator).getTo();
        to.setInitialCapacity(selection.length);
        to.allocateNew();
        for (int i = 0; i < selection.length; i++) {
          to.copyFromSafe(selection[i], i, from);
        }
        to.setValueCount(selection.length);
        out[c] = to;
      }
      done = true;
      return new Batch(out, selection.length);
    } finally {
      if (!done) {
        new Batch(out, 0).close();
      }
    }
  }

  /** Rows {@code start..start+count-1}, sharing buffers where Arrow can. */
  static Batch slice(Batch in, int start, int count, BufferAllocator allocator) {
    FieldVector[] out = new FieldVector[in.vectors.length];
    for (int c = 0; c < out.length; c++) {
      TransferPair pair = in.vectors[c].getTransferPair(allocator);
      pair.splitAndTransfer(start, count);
      out[c] = (FieldVector) pair.getTo();
    }
    return new Batch(out, count);
  }
}
