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
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code CREATE DATA PLANE "<name>" TYPE [=] <type>} followed either by {@code SECRET <secret>} or
 * by {@code <key> [=] '<value>' …} (URL, USER, PASSWORD; the engine checks the keys).
 *
 * <p>Its values may be secrets: {@link #getOperandList} holds none of them, and unparsing writes
 * each as {@code '***'}, so that the statement is never written out with them.
 */
public class SqlCreateDataPlane extends SqlCreate {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE DATA PLANE", SqlKind.OTHER_DDL);

  private final SqlIdentifier name;
  private final SqlIdentifier type;
  private final @Nullable SqlIdentifier secret;
  private final List<String> keys;
  private final List<String> values;

  public SqlCreateDataPlane(
      SqlParserPos pos,
      SqlIdentifier name,
      SqlIdentifier type,
      @Nullable SqlIdentifier secret,
      List<String> keys,
      List<String> values) {
    super(OPERATOR, pos, false, false);
    this.name = name;
    this.type = type;
    this.secret = secret;
    this.keys = List.copyOf(keys);
    this.values = new ArrayList<>(values);
  }

  /** The plane's name. */
  public String getSimpleName() {
    return name.getSimple();
  }

  /** The type as written, e.g. {@code postgres}. */
  public String getTypeName() {
    return type.getSimple();
  }

  /** The secret named by {@code SECRET <name>}, or null when the values are given inline. */
  public @Nullable String getSecretName() {
    return secret == null ? null : secret.getSimple();
  }

  /** The keys given inline, in order (may repeat: the engine refuses that). */
  public List<String> getKeys() {
    return keys;
  }

  /** The values, one per key, in clear text. */
  public List<String> getValues() {
    return List.copyOf(values);
  }

  @Override
  public List<SqlNode> getOperandList() {
    return secret == null ? List.of(name, type) : List.of(name, type, secret);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE DATA PLANE");
    name.unparse(writer, 0, 0);
    writer.keyword("TYPE");
    type.unparse(writer, 0, 0);
    if (secret != null) {
      writer.keyword("SECRET");
      secret.unparse(writer, 0, 0);
    }
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
