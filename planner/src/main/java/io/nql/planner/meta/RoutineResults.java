package io.nql.planner.meta;

import io.nql.planner.result.ResultColumn;
import java.util.List;

/**
 * The columns of the metadata calls about procedures and functions. NQL has no user-defined
 * routines to list, so these calls answer with no rows.
 */
final class RoutineResults {
  private RoutineResults() {}

  static final List<ResultColumn> PROCEDURES =
      MetadataColumns.of(
          "PROCEDURE_CAT:s",
          "PROCEDURE_SCHEM:s",
          "PROCEDURE_NAME:s",
          "FUTURE_USE1:s",
          "FUTURE_USE2:s",
          "FUTURE_USE3:s",
          "REMARKS:s",
          "PROCEDURE_TYPE:h",
          "SPECIFIC_NAME:s");

  static final List<ResultColumn> PROCEDURE_COLUMNS =
      MetadataColumns.of(
          "PROCEDURE_CAT:s",
          "PROCEDURE_SCHEM:s",
          "PROCEDURE_NAME:s",
          "COLUMN_NAME:s",
          "COLUMN_TYPE:h",
          "DATA_TYPE:i",
          "TYPE_NAME:s",
          "PRECISION:i",
          "LENGTH:i",
          "SCALE:h",
          "RADIX:h",
          "NULLABLE:h",
          "REMARKS:s",
          "COLUMN_DEF:s",
          "SQL_DATA_TYPE:i",
          "SQL_DATETIME_SUB:i",
          "CHAR_OCTET_LENGTH:i",
          "ORDINAL_POSITION:i",
          "IS_NULLABLE:s",
          "SPECIFIC_NAME:s");

  static final List<ResultColumn> FUNCTIONS =
      MetadataColumns.of(
          "FUNCTION_CAT:s",
          "FUNCTION_SCHEM:s",
          "FUNCTION_NAME:s",
          "REMARKS:s",
          "FUNCTION_TYPE:h",
          "SPECIFIC_NAME:s");

  static final List<ResultColumn> FUNCTION_COLUMNS =
      MetadataColumns.of(
          "FUNCTION_CAT:s",
          "FUNCTION_SCHEM:s",
          "FUNCTION_NAME:s",
          "COLUMN_NAME:s",
          "COLUMN_TYPE:h",
          "DATA_TYPE:i",
          "TYPE_NAME:s",
          "PRECISION:i",
          "LENGTH:i",
          "SCALE:h",
          "RADIX:h",
          "NULLABLE:h",
          "REMARKS:s",
          "CHAR_OCTET_LENGTH:i",
          "ORDINAL_POSITION:i",
          "IS_NULLABLE:s",
          "SPECIFIC_NAME:s");
}
