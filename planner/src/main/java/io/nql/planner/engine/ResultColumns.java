package io.nql.planner.engine;

import io.nql.planner.exec.ColumnMeta;
import java.util.ArrayList;
import java.util.List;

/** Converts the executor's column descriptions to the engine's. */
final class ResultColumns {
  private ResultColumns() {}

  static List<ResultColumn> of(List<ColumnMeta> metas) {
    List<ResultColumn> out = new ArrayList<>(metas.size());
    for (ColumnMeta c : metas) {
      out.add(
          new ResultColumn(
              c.name(),
              c.jdbcType(),
              c.typeName(),
              Math.max(0, c.precision()),
              c.scale(),
              c.nullable()));
    }
    return List.copyOf(out);
  }
}
