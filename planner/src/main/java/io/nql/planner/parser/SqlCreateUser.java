package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code CREATE USER "<name>" COMPANY <slug> PASSWORD '<pw>' [ADMIN]} (admin only).
 *
 * <p>Unparsing writes the password in clear text (so the statement round-trips); do not log it.
 */
public class SqlCreateUser extends SqlCreate {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE USER", SqlKind.OTHER_DDL);

  private final SqlIdentifier name;
  private final SqlIdentifier company;
  private final String password;
  private final boolean admin;

  public SqlCreateUser(
      SqlParserPos pos, SqlIdentifier name, SqlIdentifier company, String password, boolean admin) {
    super(OPERATOR, pos, false, false);
    this.name = name;
    this.company = company;
    this.password = password;
    this.admin = admin;
  }

  /** The user name. */
  public SqlIdentifier getName() {
    return name;
  }

  /** The user name as a string. */
  public String getSimpleName() {
    return name.getSimple();
  }

  /** The slug of the user's company. */
  public SqlIdentifier getCompany() {
    return company;
  }

  /** The slug of the user's company as a string. */
  public String getCompanySlug() {
    return company.getSimple();
  }

  /** The clear-text password. */
  public String getPassword() {
    return password;
  }

  /** True when {@code ADMIN} was given. */
  public boolean isAdmin() {
    return admin;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(
        name,
        company,
        SqlLiteral.createCharString(password, pos),
        SqlLiteral.createBoolean(admin, pos));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE USER");
    name.unparse(writer, 0, 0);
    writer.keyword("COMPANY");
    company.unparse(writer, 0, 0);
    writer.keyword("PASSWORD");
    Unparsing.string(writer, password);
    if (admin) {
      writer.keyword("ADMIN");
    }
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
