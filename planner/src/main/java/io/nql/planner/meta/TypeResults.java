package io.nql.planner.meta;

import io.nql.planner.result.ResultColumn;
import java.util.List;

/**
 * The columns of the metadata calls about user-defined types and type or table hierarchies. NQL has
 * neither, so these calls answer with no rows ({@code getTypeInfo}, the built-in types, is {@link
 * TypeInfo}).
 */
final class TypeResults {
  private TypeResults() {}

  static final List<ResultColumn> UDTS =
      MetadataColumns.of(
          "TYPE_CAT:s",
          "TYPE_SCHEM:s",
          "TYPE_NAME:s",
          "CLASS_NAME:s",
          "DATA_TYPE:i",
          "REMARKS:s",
          "BASE_TYPE:h");

  static final List<ResultColumn> SUPER_TYPES =
      MetadataColumns.of(
          "TYPE_CAT:s",
          "TYPE_SCHEM:s",
          "TYPE_NAME:s",
          "SUPERTYPE_CAT:s",
          "SUPERTYPE_SCHEM:s",
          "SUPERTYPE_NAME:s");

  static final List<ResultColumn> SUPER_TABLES =
      MetadataColumns.of("TABLE_CAT:s", "TABLE_SCHEM:s", "TABLE_NAME:s", "SUPERTABLE_NAME:s");

  static final List<ResultColumn> ATTRIBUTES =
      MetadataColumns.of(
          "TYPE_CAT:s",
          "TYPE_SCHEM:s",
          "TYPE_NAME:s",
          "ATTR_NAME:s",
          "DATA_TYPE:i",
          "ATTR_TYPE_NAME:s",
          "ATTR_SIZE:i",
          "DECIMAL_DIGITS:i",
          "NUM_PREC_RADIX:i",
          "NULLABLE:i",
          "REMARKS:s",
          "ATTR_DEF:s",
          "SQL_DATA_TYPE:i",
          "SQL_DATETIME_SUB:i",
          "CHAR_OCTET_LENGTH:i",
          "ORDINAL_POSITION:i",
          "IS_NULLABLE:s",
          "SCOPE_CATALOG:s",
          "SCOPE_SCHEMA:s",
          "SCOPE_TABLE:s",
          "SOURCE_DATA_TYPE:h");
}
