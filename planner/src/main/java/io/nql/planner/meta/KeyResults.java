package io.nql.planner.meta;

import io.nql.planner.result.ResultColumn;
import java.util.List;

/**
 * The columns of the metadata calls about keys, indexes and identifying columns. NQL's datasets
 * have none of them, so these calls answer with no rows.
 */
final class KeyResults {
  private KeyResults() {}

  static final List<ResultColumn> PRIMARY_KEYS =
      MetadataColumns.of(
          "TABLE_CAT:s",
          "TABLE_SCHEM:s",
          "TABLE_NAME:s",
          "COLUMN_NAME:s",
          "KEY_SEQ:h",
          "PK_NAME:s");

  /** getImportedKeys, getExportedKeys and getCrossReference. */
  static final List<ResultColumn> FOREIGN_KEYS =
      MetadataColumns.of(
          "PKTABLE_CAT:s",
          "PKTABLE_SCHEM:s",
          "PKTABLE_NAME:s",
          "PKCOLUMN_NAME:s",
          "FKTABLE_CAT:s",
          "FKTABLE_SCHEM:s",
          "FKTABLE_NAME:s",
          "FKCOLUMN_NAME:s",
          "KEY_SEQ:h",
          "UPDATE_RULE:h",
          "DELETE_RULE:h",
          "FK_NAME:s",
          "PK_NAME:s",
          "DEFERRABILITY:h");

  static final List<ResultColumn> INDEX_INFO =
      MetadataColumns.of(
          "TABLE_CAT:s",
          "TABLE_SCHEM:s",
          "TABLE_NAME:s",
          "NON_UNIQUE:b",
          "INDEX_QUALIFIER:s",
          "INDEX_NAME:s",
          "TYPE:h",
          "ORDINAL_POSITION:h",
          "COLUMN_NAME:s",
          "ASC_OR_DESC:s",
          "CARDINALITY:l",
          "PAGES:l",
          "FILTER_CONDITION:s");

  /** getBestRowIdentifier and getVersionColumns. */
  static final List<ResultColumn> ROW_IDENTIFIERS =
      MetadataColumns.of(
          "SCOPE:h",
          "COLUMN_NAME:s",
          "DATA_TYPE:i",
          "TYPE_NAME:s",
          "COLUMN_SIZE:i",
          "BUFFER_LENGTH:i",
          "DECIMAL_DIGITS:h",
          "PSEUDO_COLUMN:h");

  static final List<ResultColumn> PSEUDO_COLUMNS =
      MetadataColumns.of(
          "TABLE_CAT:s",
          "TABLE_SCHEM:s",
          "TABLE_NAME:s",
          "COLUMN_NAME:s",
          "DATA_TYPE:i",
          "COLUMN_SIZE:i",
          "DECIMAL_DIGITS:i",
          "NUM_PREC_RADIX:i",
          "COLUMN_USAGE:s",
          "REMARKS:s",
          "CHAR_OCTET_LENGTH:i",
          "IS_NULLABLE:s");
}
