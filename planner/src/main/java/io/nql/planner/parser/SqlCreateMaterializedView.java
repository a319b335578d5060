package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * {@code CREATE MATERIALIZED VIEW "<name>" [options] AS <select> [budget clause]}. Options not
 * given are null (TAGS: empty); the engine applies the defaults ({@code @once}, {@code
 * retain_everything}, {@code append}). The parser has validated REFRESH_SCHEDULE, EXPIRE and
 * WRITE_MODE.
 */
public class SqlCreateMaterializedView extends SqlCreate {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE MATERIALIZED VIEW", SqlKind.OTHER_DDL);

  private final SqlIdentifier name;
  private final String refreshSchedule;
  private final String displayName;
  private final String description;
  private final String expire;
  private final SqlNodeList tags;
  private final String writeMode;
  private final SqlNodeList partitions;
  private final SqlNode query;
  private final SqlBudget budget;

  /**
   * Creates the statement. {@code query} may be a {@link SqlBudgetQuery}, which is split into the
   * query and its budget; {@code tags} holds character literals and may be null.
   */
  public SqlCreateMaterializedView(
      SqlParserPos pos,
      SqlIdentifier name,
      String refreshSchedule,
      String displayName,
      String description,
      String expire,
      SqlNodeList tags,
      String writeMode,
      SqlNodeList partitions,
      SqlNode query) {
    super(OPERATOR, pos, false, false);
    this.name = name;
    this.refreshSchedule = refreshSchedule;
    this.displayName = displayName;
    this.description = description;
    this.expire = expire;
    this.tags = tags == null ? SqlNodeList.EMPTY : tags;
    this.writeMode = writeMode;
    this.partitions = partitions;
    if (query instanceof SqlBudgetQuery budgeted) {
      this.query = budgeted.getQuery();
      this.budget = budgeted.getBudget();
    } else {
      this.query = query;
      this.budget = null;
    }
  }

  /** The view name. */
  public SqlIdentifier getName() {
    return name;
  }

  /** The view name as a string. */
  public String getSimpleName() {
    return name.getSimple();
  }

  /** {@code @once}, {@code @hourly}, ... or a cron expression; null when not given. */
  public String getRefreshSchedule() {
    return refreshSchedule;
  }

  /** The DISPLAY_NAME option, or null. */
  public String getDisplayName() {
    return displayName;
  }

  /** The DESCRIPTION option, or null. */
  public String getDescription() {
    return description;
  }

  /** An ISO-8601 period (upper case), {@code retain_everything} or {@code expire_everything}. */
  public String getExpire() {
    return expire;
  }

  /** The TAGS, in order; empty when not given. */
  public List<String> getTags() {
    return tags.stream().map(t -> ((SqlLiteral) t).getValueAs(String.class)).toList();
  }

  /** {@code append} or {@code overwrite}; null when not given. */
  public String getWriteMode() {
    return writeMode;
  }

  /** The partition fields, in order; empty when there is no PARTITIONED_BY. */
  public List<SqlPartitionField> getPartitionFields() {
    return partitions.stream().map(SqlPartitionField.class::cast).toList();
  }

  /** The view's query, without the budget clause. */
  public SqlNode getQuery() {
    return query;
  }

  /** The budget clause after the query, or null. */
  public SqlBudget getBudget() {
    return budget;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(name, tags, partitions, query, budget);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE MATERIALIZED VIEW");
    name.unparse(writer, 0, 0);
    Unparsing.stringOption(writer, "REFRESH_SCHEDULE", refreshSchedule);
    Unparsing.stringOption(writer, "DISPLAY_NAME", displayName);
    Unparsing.stringOption(writer, "DESCRIPTION", description);
    Unparsing.stringOption(writer, "EXPIRE", expire);
    if (!tags.isEmpty()) {
      writer.keyword("TAGS");
      writer.keyword("=");
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (String tag : getTags()) {
        writer.sep(",");
        Unparsing.string(writer, tag);
      }
      writer.endList(frame);
    }
    Unparsing.stringOption(writer, "WRITE_MODE", writeMode);
    if (!partitions.isEmpty()) {
      writer.keyword("PARTITIONED_BY");
      Unparsing.commaList(writer, partitions);
    }
    writer.keyword("AS");
    query.unparse(writer, 0, 0);
    if (budget != null) {
      budget.unparse(writer, 0, 0);
    }
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
