package io.nql.planner.engine;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Reads a result's remaining rows as text values (null stays null), through {@code next()} or
 * through Arrow batches, so the row and vector paths' answers compare as equal lists.
 */
final class ResultText {
  private ResultText() {}

  static List<List<Object>> read(StatementResult r, boolean arrow, int batchRows) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    if (arrow) {
      try (BufferAllocator a = new RootAllocator();
          ArrowReader reader = r.arrow(a, batchRows)) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        while (reader.loadNextBatch()) {
          for (int i = 0; i < root.getRowCount(); i++) {
            List<Object> row = new ArrayList<>();
            for (FieldVector v : root.getFieldVectors()) {
              row.add(v.getObject(i) == null ? null : v.getObject(i).toString());
            }
            out.add(row);
          }
        }
      }
    } else {
      for (Object[] row; (row = r.next()) != null; ) {
        List<Object> strings = new ArrayList<>();
        for (Object o : row) {
          strings.add(o == null ? null : o.toString());
        }
        out.add(strings);
      }
    }
    return out;
  }
}
