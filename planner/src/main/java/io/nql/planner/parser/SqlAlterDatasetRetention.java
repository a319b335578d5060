package io.nql.planner.parser;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code ALTER DATASET "<ds>" SET RETENTION <n> DAYS ON <column>} or {@code ... SET RETENTION
 * NONE}: the rows a dataset keeps.
 */
public class SqlAlterDatasetRetention extends SqlNqlCommand {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("ALTER DATASET", SqlKind.OTHER_DDL);

  private final @Nullable Integer days;
  private final @Nullable SqlIdentifier column;

  /** With null {@code days} and {@code column}: {@code SET RETENTION NONE}. */
  public SqlAlterDatasetRetention(
      SqlParserPos pos,
      SqlIdentifier name,
      @Nullable Integer days,
      @Nullable SqlIdentifier column) {
    super(OPERATOR, pos, name);
    this.days = days;
    this.column = column;
  }

  /** The dataset as written. */
  public SqlIdentifier getName() {
    return target();
  }

  /** Days of rows kept, or null for no retention. */
  public @Nullable Integer getDays() {
    return days;
  }

  /** The date or timestamp column rows are aged by, or null for no retention. */
  public @Nullable SqlIdentifier getColumn() {
    return column;
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    super.unparse(writer, leftPrec, rightPrec);
    writer.keyword("SET RETENTION");
    if (days == null) {
      writer.keyword("NONE");
    } else {
      writer.print(days + " ");
      writer.keyword("DAYS ON");
      column.unparse(writer, 0, 0);
    }
  }
}
