package io.nql.planner.engine;

import io.nql.planner.exec.ArrowBatchReader;
import io.nql.planner.exec.ColumnMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/** Arrow batches over any engine result's rows. */
final class ArrowRows {
  private ArrowRows() {}

  static ArrowReader reader(
      List<ResultColumn> columns,
      Supplier<Object[]> next,
      Runnable close,
      BufferAllocator allocator,
      int batchRows) {
    List<ColumnMeta> metas = new ArrayList<>(columns.size());
    for (ResultColumn c : columns) {
      metas.add(
          new ColumnMeta(
              c.name(), c.jdbcType(), c.typeName(), c.precision(), c.scale(), c.nullable()));
    }
    return new ArrowBatchReader(
        metas,
        new ArrowBatchReader.RowSource() {
          @Override
          public Object[] next() {
            return next.get();
          }

          @Override
          public void close() {
            close.run();
          }
        },
        allocator,
        batchRows);
  }
}
