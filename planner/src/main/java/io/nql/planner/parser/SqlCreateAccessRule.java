package io.nql.planner.parser;

import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * {@code CREATE ACCESS RULE "<name>" PRICE_CPM_USD = <dec> SHARE WITH ... [DISPLAY_NAME = '...']
 * [DESCRIPTION = '...'] AS <select>}. The parser has checked that the price has at most two
 * decimals and that PRICE_CPM_USD and SHARE WITH were both given.
 */
public class SqlCreateAccessRule extends SqlCreate {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE ACCESS RULE", SqlKind.OTHER_DDL);

  private final SqlIdentifier name;
  private final SqlNumericLiteral price;
  private final ShareMode shareMode;
  private final SqlNodeList companies;
  private final String displayName;
  private final String description;
  private final SqlNode query;

  public SqlCreateAccessRule(
      SqlParserPos pos,
      boolean replace,
      SqlIdentifier name,
      SqlNumericLiteral price,
      ShareMode shareMode,
      SqlNodeList companies,
      String displayName,
      String description,
      SqlNode query) {
    super(OPERATOR, pos, replace, false);
    this.name = name;
    this.price = price;
    this.shareMode = shareMode;
    this.companies = companies;
    this.displayName = displayName;
    this.description = description;
    this.query = query;
  }

  /** The rule name. */
  public SqlIdentifier getName() {
    return name;
  }

  /** The rule name as a string. */
  public String getSimpleName() {
    return name.getSimple();
  }

  /** US dollars per 1,000 rows delivered. */
  public BigDecimal getPriceCpmUsd() {
    return price.bigDecimalValue();
  }

  /** Who the rule is shared with. */
  public ShareMode getShareMode() {
    return shareMode;
  }

  /**
   * The company slugs of {@code SHARE WITH COMPANIES (...)} or {@code SHARE WITH ALL EXCEPT (...)};
   * empty for ALL and NONE.
   */
  public List<String> getCompanies() {
    return companies.stream().map(c -> ((SqlIdentifier) c).getSimple()).toList();
  }

  /** The DISPLAY_NAME option, or null. */
  public String getDisplayName() {
    return displayName;
  }

  /** The DESCRIPTION option, or null. */
  public String getDescription() {
    return description;
  }

  /** The rule's query: its select list, source dataset and WHERE clause. */
  public SqlNode getQuery() {
    return query;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(name, price, companies, query);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(getReplace() ? "CREATE OR REPLACE ACCESS RULE" : "CREATE ACCESS RULE");
    name.unparse(writer, 0, 0);
    writer.keyword("PRICE_CPM_USD");
    writer.keyword("=");
    writer.literal(price.bigDecimalValue().toPlainString());
    writer.keyword("SHARE WITH");
    switch (shareMode) {
      case ALL -> writer.keyword("ALL");
      case NONE -> writer.keyword("NONE");
      case COMPANIES -> {
        writer.keyword("COMPANIES");
        Unparsing.parenthesized(writer, companies);
      }
      case ALL_EXCEPT -> {
        writer.keyword("ALL EXCEPT");
        Unparsing.parenthesized(writer, companies);
      }
    }
    Unparsing.stringOption(writer, "DISPLAY_NAME", displayName);
    Unparsing.stringOption(writer, "DESCRIPTION", description);
    writer.keyword("AS");
    query.unparse(writer, 0, 0);
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
