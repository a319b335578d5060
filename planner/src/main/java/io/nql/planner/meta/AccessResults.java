package io.nql.planner.meta;

import io.nql.planner.result.ResultColumn;
import java.util.List;

/**
 * The columns of the metadata calls about what a connection may do or declare: privileges and
 * client-info properties. NQL grants access by access rules, not SQL privileges, and keeps no
 * client info, so these calls answer with no rows.
 */
final class AccessResults {
  private AccessResults() {}

  static final List<ResultColumn> COLUMN_PRIVILEGES =
      MetadataColumns.of(
          "TABLE_CAT:s",
          "TABLE_SCHEM:s",
          "TABLE_NAME:s",
          "COLUMN_NAME:s",
          "GRANTOR:s",
          "GRANTEE:s",
          "PRIVILEGE:s",
          "IS_GRANTABLE:s");

  static final List<ResultColumn> TABLE_PRIVILEGES =
      MetadataColumns.of(
          "TABLE_CAT:s",
          "TABLE_SCHEM:s",
          "TABLE_NAME:s",
          "GRANTOR:s",
          "GRANTEE:s",
          "PRIVILEGE:s",
          "IS_GRANTABLE:s");

  static final List<ResultColumn> CLIENT_INFO_PROPERTIES =
      MetadataColumns.of("NAME:s", "MAX_LEN:i", "DEFAULT_VALUE:s", "DESCRIPTION:s");
}
