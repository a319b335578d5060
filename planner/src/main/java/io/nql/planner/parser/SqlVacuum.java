package io.nql.planner.parser;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code VACUUM company_data."<ds>" [RETAIN <n> DAYS]}: expire the dataset's old snapshots and
 * remove its orphan files.
 */
public class SqlVacuum extends SqlNqlCommand {
  public static final SqlOperator OPERATOR = new SqlSpecialOperator("VACUUM", SqlKind.OTHER);

  private final @Nullable Integer retainDays;

  public SqlVacuum(SqlParserPos pos, SqlIdentifier name, @Nullable Integer retainDays) {
    super(OPERATOR, pos, name);
    this.retainDays = retainDays;
  }

  /** The dataset as written. */
  public SqlIdentifier getName() {
    return target();
  }

  /** The days of snapshots to keep, or null for the gateway's default. */
  public @Nullable Integer getRetainDays() {
    return retainDays;
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    super.unparse(writer, leftPrec, rightPrec);
    if (retainDays != null) {
      writer.keyword("RETAIN");
      writer.print(retainDays + " ");
      writer.keyword("DAYS");
    }
  }
}
