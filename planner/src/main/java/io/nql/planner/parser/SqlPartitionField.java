package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/** One field of {@code PARTITIONED_BY}: a column and its transform, e.g. {@code ts DAY}. */
public class SqlPartitionField extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("PARTITION FIELD", SqlKind.OTHER);

  private final SqlIdentifier column;
  private final PartitionTransform transform;
  private final Integer width;

  /** Creates a field; {@code width} is non-null exactly for BUCKET and TRUNCATE. */
  public SqlPartitionField(
      SqlParserPos pos, SqlIdentifier column, PartitionTransform transform, Integer width) {
    super(pos);
    this.column = column;
    this.transform = transform;
    this.width = width;
  }

  /** The partition source column. */
  public SqlIdentifier getColumn() {
    return column;
  }

  /** The partition source column as a string. */
  public String getColumnName() {
    return column.getSimple();
  }

  /** The transform; {@link PartitionTransform#IDENTITY} when none was written. */
  public PartitionTransform getTransform() {
    return transform;
  }

  /** The n of {@code BUCKET(n)} or {@code TRUNCATE(n)}; null for other transforms. */
  public Integer getWidth() {
    return width;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(
        column,
        SqlLiteral.createSymbol(transform, pos),
        width == null ? null : SqlLiteral.createExactNumeric(width.toString(), pos));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    column.unparse(writer, 0, 0);
    writer.keyword(transform.name());
    if (width != null) {
      SqlWriter.Frame frame = writer.startList("(", ")");
      writer.literal(width.toString());
      writer.endList(frame);
    }
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
