package io.nql.flight;

import io.nql.planner.engine.ResultColumn;
import io.nql.planner.exec.ArrowBatchReader;
import io.nql.planner.exec.ColumnMeta;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Schema;

/** The Arrow schema of engine columns, exactly as the result streams type them. */
final class ArrowSchemas {
  private ArrowSchemas() {}

  static Schema of(List<ResultColumn> columns) {
    List<ColumnMeta> metas = new ArrayList<>(columns.size());
    for (ResultColumn c : columns) {
      metas.add(
          new ColumnMeta(
              c.name(), c.jdbcType(), c.typeName(), c.precision(), c.scale(), c.nullable()));
    }
    return ArrowBatchReader.schema(metas);
  }
}
