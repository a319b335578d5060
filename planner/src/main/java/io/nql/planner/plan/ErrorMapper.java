package io.nql.planner.plan;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlValidatorException;

/**
 * The one place where validation and run-time failures become {@link NqlException}s: unknown
 * tables, unqualified tables, unknown columns, other validation errors, and arithmetic or cast
 * failures. Messages are one line and carry no class names.
 */
public final class ErrorMapper {
  private static final Pattern OBJECT_NOT_FOUND = Pattern.compile("Object '(.*)' not found.*");
  private static final Pattern COLUMN_NOT_FOUND = Pattern.compile("Column '(.*)' not found in .*");
  private static final Pattern TABLE_NOT_FOUND = Pattern.compile("Table '(.*)' not found");

  private ErrorMapper() {}

  /** Maps a failure of validation. {@code query} is the statement as parsed, for names. */
  public static NqlException validation(Throwable t, SqlNode query) {
    if (t instanceof NqlException nql) {
      return nql;
    }
    if (t instanceof CalciteContextException ctx) {
      String reason = oneLine(ctx.getCause() != null ? ctx.getCause().getMessage() : null);
      String at = position(ctx.getPosLine(), ctx.getPosColumn());
      SqlIdentifier id = identifierAt(query, ctx.getPosLine(), ctx.getPosColumn());
      Matcher m;
      if ((m = OBJECT_NOT_FOUND.matcher(reason)).matches()) {
        String written = id != null ? written(id) : m.group(1);
        if (id != null && id.names.size() == 1) {
          return NqlException.of(
              ErrorCode.INVALID_SCHEMA,
              "Table %s must be qualified with company_data, a company slug or narrative%s",
              written,
              at);
        }
        return NqlException.of(
            ErrorCode.UNKNOWN_TABLE,
            "Unknown table or insufficient table permissions: %s",
            written);
      }
      if ((m = COLUMN_NOT_FOUND.matcher(reason)).matches()
          || (m = TABLE_NOT_FOUND.matcher(reason)).matches()) {
        String written = id != null ? written(id) : m.group(1);
        return NqlException.of(ErrorCode.UNKNOWN_COLUMN, "Column %s not found%s", written, at);
      }
      return new NqlException(ErrorCode.VALIDATION_ERROR, reason + at, t);
    }
    if (t instanceof SqlValidatorException) {
      return new NqlException(ErrorCode.VALIDATION_ERROR, oneLine(t.getMessage()), t);
    }
    return runtime(t);
  }

  /**
   * Maps a failure of planning or execution. A failure of evaluating an expression is reported by
   * its kind only, never with the value it failed on: the value may come from a rule row the caller
   * has not paid for, or one the rule hides (see the payment invariant in the access-rule
   * reference).
   */
  public static NqlException runtime(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof NqlException nql) {
        return nql;
      }
      if (c instanceof NumberFormatException) {
        return new NqlException(
            ErrorCode.INVALID_TEXT_REPRESENTATION, "Invalid input syntax for a number", t);
      }
      if (c instanceof ArithmeticException) {
        String msg = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
        if (msg.contains("zero") || msg.contains("division undefined")) {
          return new NqlException(ErrorCode.DIVISION_BY_ZERO, "Division by zero", t);
        }
        return new NqlException(
            ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "Numeric value out of range", t);
      }
      if (c instanceof CalciteContextException || c instanceof SqlValidatorException) {
        return new NqlException(ErrorCode.VALIDATION_ERROR, oneLine(c.getMessage()), t);
      }
      String msg = String.valueOf(c.getMessage());
      if (c instanceof IllegalArgumentException
          && (msg.startsWith("Invalid ") || msg.contains("cast") || msg.contains("Cast"))) {
        return new NqlException(
            ErrorCode.INVALID_TEXT_REPRESENTATION, "Invalid input syntax for a cast", t);
      }
    }
    return new NqlException(
        ErrorCode.INTERNAL_ERROR, "Internal error while running the statement", t);
  }

  private static String position(int line, int column) {
    return line > 0 ? String.format(Locale.ROOT, " at line %d, column %d", line, column) : "";
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "Invalid statement";
    }
    return s.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  /** The identifier as the user wrote it: quoted components in double quotes. */
  static String written(SqlIdentifier id) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < id.names.size(); i++) {
      String name = id.names.get(i);
      if (name.isEmpty()) {
        parts.add("*");
      } else if (id.isComponentQuoted(i)) {
        parts.add('"' + name.replace("\"", "\"\"") + '"');
      } else {
        parts.add(name);
      }
    }
    return String.join(".", parts);
  }

  /** The longest identifier of the statement whose span covers the given position. */
  private static SqlIdentifier identifierAt(SqlNode query, int line, int column) {
    if (query == null || line <= 0) {
      return null;
    }
    SqlIdentifier[] best = new SqlIdentifier[1];
    query.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlIdentifier id) {
            if (covers(id.getParserPosition(), line, column)
                && (best[0] == null || id.names.size() > best[0].names.size())) {
              best[0] = id;
            }
            return null;
          }
        });
    return best[0];
  }

  private static boolean covers(SqlParserPos pos, int line, int column) {
    if (pos == null || pos.getLineNum() <= 0) {
      return false;
    }
    boolean afterStart =
        line > pos.getLineNum() || (line == pos.getLineNum() && column >= pos.getColumnNum());
    boolean beforeEnd =
        line < pos.getEndLineNum()
            || (line == pos.getEndLineNum() && column <= pos.getEndColumnNum());
    return afterStart && beforeEnd;
  }
}
