package io.nql.planner.parser;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code DROP ATTRIBUTE name}: drops a Rosetta Stone attribute an admin added. */
public class SqlDropAttribute extends SqlDropObject {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("DROP ATTRIBUTE", SqlKind.OTHER_DDL);

  public SqlDropAttribute(SqlParserPos pos, SqlIdentifier name) {
    super(OPERATOR, pos, name);
  }
}
