package io.nql.planner.parser;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Checks and small rewrites called from the actions of the generated NQL parser. Not an API: the
 * methods throw {@link NqlException} with a one-line message that names the line and column.
 */
public final class ParserSupport {
  private static final Set<String> SCHEDULE_SHORTCUTS =
      Set.of("@once", "@hourly", "@daily", "@weekly", "@monthly");
  private static final Pattern CRON_FIELD = Pattern.compile("[0-9A-Za-z*/,?#LW-]+");

  private ParserSupport() {}

  /** A syntax error at a position: {@code Syntax error at line L, column C: <detail>}. */
  public static NqlException syntaxError(SqlParserPos pos, String detail) {
    return new NqlException(ErrorCode.SYNTAX_ERROR, at("Syntax error", pos) + ": " + detail);
  }

  /** An invalid option value at a position. */
  public static NqlException invalidValue(String option, SqlParserPos pos, String detail) {
    return new NqlException(
        ErrorCode.INVALID_PARAMETER_VALUE, at("Invalid value for " + option, pos) + ": " + detail);
  }

  private static String at(String what, SqlParserPos pos) {
    return String.format(
        Locale.ROOT, "%s at line %d, column %d", what, pos.getLineNum(), pos.getColumnNum());
  }

  /**
   * Checks the TABLE of {@code COPY INTO … FROM POSTGRES}: a table, or a schema and a table, with
   * non-empty names (no {@code *}); PostgreSQL cannot name anything with a NUL character.
   */
  public static void postgresTable(SqlIdentifier table) {
    SqlParserPos pos = table.getParserPosition();
    if (table.isStar() || table.names.size() > 2) {
      throw syntaxError(pos, "TABLE takes a table name, optionally after its schema: schema.table");
    }
    for (String part : table.names) {
      if (part.isEmpty() || part.indexOf('\0') >= 0) {
        throw syntaxError(pos, "a PostgreSQL name is not empty and holds no NUL character");
      }
    }
  }

  /** Records that an option was given; throws if it was given before. */
  public static void once(Set<String> seen, String option, SqlParserPos pos) {
    if (!seen.add(option)) {
      throw syntaxError(pos, "option " + option + " is given more than once");
    }
  }

  /** Throws unless a required option was given before {@code AS}. */
  public static void required(Set<String> seen, String option, String statement, SqlParserPos pos) {
    if (!seen.contains(option)) {
      throw syntaxError(pos, statement + " requires " + option + " before AS");
    }
  }

  /** Rejects {@code CREATE OR REPLACE}, which no NQL statement supports. */
  public static void noReplace(boolean replace, String object, SqlParserPos pos) {
    if (replace) {
      throw syntaxError(pos, "OR REPLACE is not supported for CREATE " + object);
    }
  }

  /** Returns the lower-cased value if it is one of the allowed ones; throws otherwise. */
  public static String oneOf(String option, String value, SqlParserPos pos, String... allowed) {
    String lower = value.toLowerCase(Locale.ROOT);
    for (String a : allowed) {
      if (a.equals(lower)) {
        return a;
      }
    }
    throw invalidValue(option, pos, "'" + value + "'; expected one of " + quoted(allowed));
  }

  private static String quoted(String... values) {
    StringBuilder b = new StringBuilder();
    for (String v : values) {
      b.append(b.length() == 0 ? "" : ", ").append('\'').append(v).append('\'');
    }
    return b.toString();
  }

  /** Returns the value if it is exactly one character; throws otherwise. */
  public static String singleCharacter(String option, String value, SqlParserPos pos) {
    if (value.length() != 1) {
      throw invalidValue(option, pos, "'" + value + "'; expected a single character");
    }
    return value;
  }

  /** Returns n if it is positive; throws otherwise. */
  public static Integer positive(String option, int n, SqlParserPos pos) {
    if (n <= 0) {
      throw invalidValue(option, pos, n + "; expected a positive integer");
    }
    return n;
  }

  /** Checks that a CPM price has at most two decimals. */
  public static void checkPrice(SqlNumericLiteral price) {
    if (price.bigDecimalValue().stripTrailingZeros().scale() > 2) {
      throw invalidValue(
          "PRICE_CPM_USD",
          price.getParserPosition(),
          price.toValue() + "; expected US dollars with at most two decimals");
    }
  }

  /** Checks a REFRESH_SCHEDULE: {@code @once}, {@code @hourly}, ... or a 5- or 6-field cron. */
  public static String refreshSchedule(String value, SqlParserPos pos) {
    String trimmed = value.trim();
    if (SCHEDULE_SHORTCUTS.contains(trimmed.toLowerCase(Locale.ROOT))) {
      return trimmed.toLowerCase(Locale.ROOT);
    }
    String[] fields = trimmed.split("\\s+");
    boolean cron = fields.length == 5 || fields.length == 6;
    for (String f : fields) {
      cron &= CRON_FIELD.matcher(f).matches();
    }
    if (!cron) {
      throw invalidValue(
          "REFRESH_SCHEDULE",
          pos,
          "'"
              + value
              + "'; expected '@once', '@hourly', '@daily', '@weekly', '@monthly' or a cron");
    }
    return trimmed;
  }

  /** Checks an EXPIRE value: an ISO-8601 period or duration, retain_ or expire_everything. */
  public static String expire(String value, SqlParserPos pos) {
    String lower = value.trim().toLowerCase(Locale.ROOT);
    if (lower.equals("retain_everything") || lower.equals("expire_everything")) {
      return lower;
    }
    String iso = value.trim().toUpperCase(Locale.ROOT);
    try {
      if (iso.contains("T")) {
        Duration.parse(iso);
      } else {
        Period.parse(iso);
      }
      return iso;
    } catch (DateTimeParseException e) {
      throw invalidValue(
          "EXPIRE",
          pos,
          "'"
              + value
              + "'; expected an ISO-8601 period such as 'P30D', "
              + "'retain_everything' or 'expire_everything'");
    }
  }

  /**
   * Checks that the query ends with {@code LIMIT <count>} (its last token at {@code lastToken}), as
   * required before a trailing {@code ROWS} or {@code USD}, and returns that count.
   */
  public static SqlNode checkTrailingLimit(
      SqlNode query, SqlParserPos lastToken, String word, SqlParserPos pos) {
    if (query instanceof SqlOrderBy orderBy
        && orderBy.fetch != null
        && samePlace(orderBy.fetch.getParserPosition(), lastToken)) {
      if (word.equals("USD") && !(orderBy.fetch instanceof SqlNumericLiteral)) {
        throw syntaxError(pos, "a budget amount must be a number");
      }
      return orderBy.fetch;
    }
    throw syntaxError(pos, "unexpected \"" + word + "\"; it may only follow LIMIT <number>");
  }

  /** The query without its row limit (the LIMIT value was a budget amount). */
  public static SqlNode withoutFetch(SqlNode query) {
    SqlOrderBy o = (SqlOrderBy) query;
    if (o.orderList.isEmpty() && o.offset == null) {
      return o.query;
    }
    return new SqlOrderBy(o.getParserPosition(), o.query, o.orderList, o.offset, null);
  }

  /** The query with an OFFSET that followed {@code LIMIT n ROWS}. */
  public static SqlNode withOffset(SqlNode query, SqlNode offset, SqlParserPos pos) {
    SqlOrderBy o = (SqlOrderBy) query;
    if (o.offset != null) {
      throw syntaxError(pos, "OFFSET is given more than once");
    }
    return new SqlOrderBy(o.getParserPosition(), o.query, o.orderList, offset, o.fetch);
  }

  /**
   * Removes the alias at {@code aliasPos} from the query: the word BUDGET, read by Calcite as an
   * alias of the last table or select item, starts the budget clause instead.
   */
  public static SqlNode removeAlias(SqlNode query, SqlParserPos aliasPos) {
    if (!stripAlias(query, aliasPos)) {
      throw syntaxError(aliasPos, "unexpected \"BUDGET\"");
    }
    return query;
  }

  private static boolean stripAlias(SqlNode node, SqlParserPos pos) {
    if (node instanceof SqlNodeList list) {
      for (int i = 0; i < list.size(); i++) {
        SqlNode bare = unaliased(list.get(i), pos);
        if (bare != null) {
          list.set(i, bare);
          return true;
        }
        if (stripAlias(list.get(i), pos)) {
          return true;
        }
      }
    } else if (node instanceof SqlCall call) {
      List<SqlNode> operands = call.getOperandList();
      for (int i = 0; i < operands.size(); i++) {
        SqlNode operand = operands.get(i);
        if (operand == null) {
          continue;
        }
        SqlNode bare = unaliased(operand, pos);
        if (bare != null) {
          call.setOperand(i, bare);
          return true;
        }
        if (stripAlias(operand, pos)) {
          return true;
        }
      }
    }
    return false;
  }

  private static SqlNode unaliased(SqlNode node, SqlParserPos pos) {
    if (node != null
        && node.getKind() == SqlKind.AS
        && node instanceof SqlCall call
        && call.operandCount() == 2
        && call.operand(1) instanceof SqlIdentifier alias
        && samePlace(alias.getParserPosition(), pos)) {
      return call.operand(0);
    }
    return null;
  }

  private static boolean samePlace(SqlParserPos a, SqlParserPos b) {
    return a.getLineNum() == b.getLineNum() && a.getColumnNum() == b.getColumnNum();
  }
}
