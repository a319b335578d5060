package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.exec.JdbcTypes;
import io.nql.planner.plan.NqlTypeSystem;
import io.nql.planner.result.ResultColumn;
import java.util.List;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** Maps SQL column types of CREATE DATASET to Iceberg types, and SQL types to result columns. */
final class DatasetTypes {
  /** Iceberg's largest decimal precision. */
  static final int MAX_DECIMAL_PRECISION = 38;

  private DatasetTypes() {}

  /** Resolves a declared column type (a built-in SQL type; no user-defined types exist). */
  static RelDataType declared(SqlDataTypeSpec spec, boolean nullable) {
    JavaTypeFactory typeFactory = new JavaTypeFactoryImpl(NqlTypeSystem.INSTANCE);
    CalciteCatalogReader reader =
        new CalciteCatalogReader(
            CalciteSchema.createRootSchema(false),
            List.of(),
            typeFactory,
            new CalciteConnectionConfigImpl(new java.util.Properties()));
    SqlValidator validator =
        SqlValidatorUtil.newValidator(
            SqlStdOperatorTable.instance(), reader, typeFactory, SqlValidator.Config.DEFAULT);
    return spec.deriveType(validator, nullable);
  }

  /**
   * The Iceberg type of a declared column. TIMESTAMP is a wall-clock timestamp; TIMESTAMP WITH
   * LOCAL TIME ZONE (or WITH TIME ZONE) is Iceberg's {@code timestamptz}, an instant shown in UTC.
   */
  static Type icebergType(String dataset, String column, RelDataType type) {
    SqlTypeName name = type.getSqlTypeName();
    return switch (name) {
      case BOOLEAN -> Types.BooleanType.get();
      case TINYINT, SMALLINT, INTEGER -> Types.IntegerType.get();
      case BIGINT -> Types.LongType.get();
      case REAL -> Types.FloatType.get();
      case FLOAT, DOUBLE -> Types.DoubleType.get();
      case DECIMAL -> {
        int precision = type.getPrecision();
        if (precision > MAX_DECIMAL_PRECISION) {
          throw new NqlException(
              ErrorCode.INVALID_PARAMETER_VALUE,
              "Cannot create dataset "
                  + dataset
                  + ": column '"
                  + column
                  + "' has precision "
                  + precision
                  + ", more than "
                  + MAX_DECIMAL_PRECISION);
        }
        yield Types.DecimalType.of(precision, Math.max(0, type.getScale()));
      }
      case CHAR, VARCHAR -> Types.StringType.get();
      case BINARY, VARBINARY -> Types.BinaryType.get();
      case DATE -> Types.DateType.get();
      case TIME -> Types.TimeType.get();
      case TIMESTAMP -> Types.TimestampType.withoutZone();
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_TZ -> Types.TimestampType.withZone();
      default ->
          throw new NqlException(
              ErrorCode.NOT_SUPPORTED,
              "Cannot create dataset "
                  + dataset
                  + ": column '"
                  + column
                  + "' has type "
                  + name
                  + ", which datasets do not support");
    };
  }

  /** The type as users write it, e.g. {@code DECIMAL(12, 2)}, {@code VARCHAR}. */
  static String typeText(RelDataType type) {
    SqlTypeName n = type.getSqlTypeName();
    return switch (n) {
      case DECIMAL -> "DECIMAL(" + type.getPrecision() + ", " + type.getScale() + ")";
      case CHAR, VARCHAR, BINARY, VARBINARY -> n.getName();
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE ->
          "TIMESTAMP(" + type.getPrecision() + ") WITH LOCAL TIME ZONE";
      default -> type.getFullTypeString().replace(" NOT NULL", "");
    };
  }

  /** The JDBC description of a column of this type (the codes and names of {@link JdbcTypes}). */
  static ResultColumn column(String name, RelDataType type) {
    SqlTypeName n = type.getSqlTypeName();
    int precision =
        type.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED ? 0 : type.getPrecision();
    int scale = type.getScale() == RelDataType.SCALE_NOT_SPECIFIED ? 0 : type.getScale();
    return new ResultColumn(
        name, JdbcTypes.code(n), JdbcTypes.name(n), precision, scale, type.isNullable());
  }
}
