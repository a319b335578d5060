package io.nql.planner.parser;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code CREATE [OR REPLACE] SECRET "<name>" TYPE [=] <type> <key> [=] '<value>' …}: the keys and
 * values as written (keys as parsed identifiers: unquoted ones lower case), in order; the engine
 * checks them against the type.
 *
 * <p>Its values are secrets: {@link #getOperandList} holds none of them, and unparsing writes each
 * as {@code '***'}, so that the statement is never written out with them.
 */
public class SqlCreateSecret extends SqlCreate {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE SECRET", SqlKind.OTHER_DDL);

  private final SqlIdentifier name;
  private final SqlIdentifier type;
  private final List<String> keys;
  private final List<String> values;

  public SqlCreateSecret(
      SqlParserPos pos,
      boolean replace,
      SqlIdentifier name,
      SqlIdentifier type,
      List<String> keys,
      List<String> values) {
    super(OPERATOR, pos, replace, false);
    this.name = name;
    this.type = type;
    this.keys = List.copyOf(keys);
    this.values = new ArrayList<>(values);
  }

  /** The secret's name. */
  public String getSimpleName() {
    return name.getSimple();
  }

  /** The type as written, e.g. {@code postgres}. */
  public String getTypeName() {
    return type.getSimple();
  }

  /** The keys, in order (may repeat: the engine refuses that). */
  public List<String> getKeys() {
    return keys;
  }

  /** The values, one per key, in clear text. */
  public List<String> getValues() {
    return List.copyOf(values);
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(name, type);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(getReplace() ? "CREATE OR REPLACE SECRET" : "CREATE SECRET");
    name.unparse(writer, 0, 0);
    writer.keyword("TYPE");
    type.unparse(writer, 0, 0);
    for (String key : keys) {
      new SqlIdentifier(key, SqlParserPos.ZERO).unparse(writer, 0, 0);
      Unparsing.string(writer, "***");
    }
  }

  /** The statement as NQL text, every value written as {@code '***'}. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
