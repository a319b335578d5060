package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * {@code CREATE DELIVERY "<name>" FOR MATERIALIZED VIEW "<view>" TO WEBHOOK '<url>' [FORMAT =
 * 'ndjson' | 'csv'] [BATCH_ROWS = n]}. Options not given are null; the parser has checked FORMAT
 * and that BATCH_ROWS is positive. The URL may hold secrets: it is unparsed as given, so never log
 * the statement's text.
 */
public class SqlCreateDelivery extends SqlCreate {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE DELIVERY", SqlKind.OTHER_DDL);

  private final SqlIdentifier name;
  private final SqlIdentifier view;
  private final String url;
  private final String format;
  private final Integer batchRows;

  public SqlCreateDelivery(
      SqlParserPos pos,
      SqlIdentifier name,
      SqlIdentifier view,
      String url,
      String format,
      Integer batchRows) {
    super(OPERATOR, pos, false, false);
    this.name = name;
    this.view = view;
    this.url = url;
    this.format = format;
    this.batchRows = batchRows;
  }

  /** The delivery's name. */
  public String getSimpleName() {
    return name.getSimple();
  }

  /** The view whose runs it delivers, as written. */
  public SqlIdentifier getView() {
    return view;
  }

  /** The webhook's URL, as written. */
  public String getUrl() {
    return url;
  }

  /** {@code ndjson} or {@code csv}; null when not given. */
  public String getFormat() {
    return format;
  }

  /** Rows per request; null when not given. */
  public Integer getBatchRows() {
    return batchRows;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(name, view);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE DELIVERY");
    name.unparse(writer, 0, 0);
    writer.keyword("FOR MATERIALIZED VIEW");
    view.unparse(writer, 0, 0);
    writer.keyword("TO WEBHOOK");
    Unparsing.string(writer, url);
    Unparsing.stringOption(writer, "FORMAT", format);
    if (batchRows != null) {
      writer.keyword("BATCH_ROWS");
      writer.keyword("=");
      writer.literal(batchRows.toString());
    }
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
