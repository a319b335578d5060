package io.nql.flight;

import io.nql.planner.engine.ArrowRows;
import io.nql.planner.result.ResultColumn;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** The Arrow schema of engine columns, exactly as the result streams type them. */
final class ArrowSchemas {
  private ArrowSchemas() {}

  /**
   * The parameter schema of a prepared statement: the columns' types, except that timestamps are
   * declared in milliseconds. The Flight SQL JDBC driver (18.3, apache/arrow-java#838) writes epoch
   * milliseconds into a timestamp parameter whatever unit the server declares, so a microsecond
   * declaration turned its values into dates of January 1970. Clients that send their own types
   * (ADBC, pyarrow, {@code FlightSqlClient}) are unaffected: parameters of any unit are accepted.
   */
  static Schema parameters(List<ResultColumn> columns) {
    List<Field> fields = new ArrayList<>();
    for (Field f : of(columns).getFields()) {
      if (f.getType() instanceof ArrowType.Timestamp t && t.getUnit() != TimeUnit.MILLISECOND) {
        ArrowType millis = new ArrowType.Timestamp(TimeUnit.MILLISECOND, t.getTimezone());
        f =
            new Field(
                f.getName(),
                new FieldType(f.isNullable(), millis, null, f.getMetadata()),
                f.getChildren());
      }
      fields.add(f);
    }
    return new Schema(fields);
  }

  static Schema of(List<ResultColumn> columns) {
    return ArrowRows.schema(columns);
  }
}
