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
  private static final Pattern CAST_REFUSED =
      Pattern.compile(
          "Cast function cannot convert value of type (.+?)(?: NOT NULL)? to type (.+?)(?: NOT"
              + " NULL)?");

  /** Calcite's message for a scalar function in FROM, followed by the function's name. */
  private static final String NOT_A_TABLE_FUNCTION = "Argument must be a table function: ";

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ErrorMapper.class);

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
      if (reason.startsWith("Cannot apply '$SCALAR_QUERY'")) {
        return new NqlException(
            ErrorCode.SYNTAX_ERROR,
            "A sub-query used as an expression must return exactly one column" + at,
            t);
      }
      if (reason.startsWith("No match found for function signature")
          || reason.startsWith("Cannot apply '")
          || reason.startsWith("Invalid number of arguments to function")) {
        return new NqlException(ErrorCode.UNDEFINED_FUNCTION, reason + at, t);
      }
      if ((m = CAST_REFUSED.matcher(reason)).matches()) {
        return NqlException.of(
            ErrorCode.CANNOT_COERCE, "Cannot cast %s to %s%s", m.group(1), m.group(2), at);
      }
      if (reason.endsWith(" is not being grouped")
          || reason.startsWith("Aggregate expression is illegal in")) {
        return new NqlException(ErrorCode.GROUPING_ERROR, reason + at, t);
      }
      if (reason.contains("must have compatible types")
          || reason.startsWith("Illegal mixing of types")) {
        return new NqlException(ErrorCode.DATATYPE_MISMATCH, reason + at, t);
      }
      return new NqlException(ErrorCode.VALIDATION_ERROR, reason + at, t);
    }
    if (t instanceof SqlValidatorException) {
      return new NqlException(ErrorCode.VALIDATION_ERROR, oneLine(t.getMessage()), t);
    }
    return planning(t);
  }

  /**
   * Maps a failure of validating, converting, optimizing or compiling a statement: as {@link
   * #runtime}, except that a programming error raised inside Calcite's planner (a class cast, a
   * null, a failed internal check) on a statement its validator accepted is reported as what it is
   * to the user — a combination the planner does not support, {@code 0A000} — rather than as an
   * internal error: the statement is unusual (the error fuzzer finds them by mixing types), not the
   * engine broken. Failures raised by the engine's own code stay internal errors. The cause is
   * logged for the maintainers.
   */
  public static NqlException planning(Throwable t) {
    NqlException mapped = runtime(t);
    if (mapped.code() != ErrorCode.INTERNAL_ERROR || !raisedInCalcite(t)) {
      return mapped;
    }
    LOG.warn("Calcite failed to plan a statement it validated; reported as not supported", t);
    return new NqlException(
        ErrorCode.NOT_SUPPORTED,
        "Cannot plan the statement: it combines types or expressions in a way the planner (Apache"
            + " Calcite) does not support; explicit CASTs may help",
        t);
  }

  /** Programming errors, the kinds a library raises on an input it did not foresee. */
  private static final List<Class<? extends Throwable>> PROGRAMMING_ERRORS =
      List.of(
          ClassCastException.class,
          NullPointerException.class,
          AssertionError.class,
          IllegalStateException.class,
          IllegalArgumentException.class,
          IndexOutOfBoundsException.class,
          UnsupportedOperationException.class);

  /** Whether the innermost cause is a programming error raised by Calcite's code. */
  private static boolean raisedInCalcite(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    Throwable innermost = c;
    if (PROGRAMMING_ERRORS.stream().noneMatch(type -> type.isInstance(innermost))) {
      return false;
    }
    for (StackTraceElement frame : innermost.getStackTrace()) {
      String cls = frame.getClassName();
      if (cls.startsWith("java.") || cls.startsWith("com.google.common.")) {
        continue; // a JDK or Guava method Calcite called
      }
      return cls.startsWith("org.apache.calcite.");
    }
    return false;
  }

  /**
   * Maps a failure of planning or execution. A failure of evaluating an expression is reported by
   * its kind only, never with the value it failed on: the value may come from a rule row the caller
   * has not paid for, or one the rule hides (see the payment invariant in the access-rule
   * reference). Calcite's own runtime errors are recognized by their message (they are plain
   * runtime exceptions) and reported with a message of ours, which carries no value.
   */
  public static NqlException runtime(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof NqlException nql) {
        return nql;
      }
      NqlException known = known(c, t);
      if (known != null) {
        return known;
      }
    }
    return new NqlException(
        ErrorCode.INTERNAL_ERROR, "Internal error while running the statement", t);
  }

  /** The error a failure stands for, when it is one a statement can cause; else null. */
  private static NqlException known(Throwable c, Throwable t) {
    String msg = String.valueOf(c.getMessage());
    if (c instanceof NumberFormatException) {
      return new NqlException(
          ErrorCode.INVALID_TEXT_REPRESENTATION, "Invalid input syntax for a number", t);
    }
    if (c instanceof ArithmeticException) {
      String lower = msg.toLowerCase(Locale.ROOT);
      if (lower.contains("zero") || lower.contains("division undefined")) {
        return new NqlException(ErrorCode.DIVISION_BY_ZERO, "Division by zero", t);
      }
      return new NqlException(
          ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "Numeric value out of range", t);
    }
    if (c instanceof java.util.regex.PatternSyntaxException) {
      return new NqlException(
          ErrorCode.INVALID_REGULAR_EXPRESSION, "Invalid regular expression", t);
    }
    if (c instanceof java.nio.charset.UnsupportedCharsetException
        || c instanceof java.nio.charset.IllegalCharsetNameException) {
      return new NqlException(ErrorCode.UNDEFINED_OBJECT, "Unknown character set: " + msg, t);
    }
    if (c instanceof java.time.DateTimeException) {
      return new NqlException(
          ErrorCode.DATETIME_FIELD_OVERFLOW, "Date or time value out of range", t);
    }
    if (c instanceof IllegalArgumentException && msg.startsWith(NOT_A_TABLE_FUNCTION)) {
      return new NqlException(
          ErrorCode.WRONG_OBJECT_TYPE,
          "Cannot use "
              + msg.substring(NOT_A_TABLE_FUNCTION.length())
              + " as a table: it is not a table function",
          t);
    }
    if (c.getClass().getName().equals("org.codehaus.commons.compiler.CompileException")) {
      // Calcite generated Java that does not compile for an expression it validated: its defect,
      // reported as the limitation it is.
      return new NqlException(
          ErrorCode.NOT_SUPPORTED,
          "Cannot run the statement: the engine cannot generate code for one of its expressions",
          t);
    }
    if (c instanceof AssertionError
        && msg.startsWith("Identifier ")
        && msg.endsWith(" is not a group expr")) {
      // Calcite's converter meets an ungrouped column its validator let through (in a sub-query
      // of an aggregating query's ORDER BY): report it as the validator should have.
      return new NqlException(
          ErrorCode.GROUPING_ERROR,
          "Expression "
              + msg.substring(
                  "Identifier ".length(), msg.length() - " is not a group expr".length())
              + " is not being grouped",
          t);
    }
    if (c instanceof StackOverflowError) {
      return new NqlException(
          ErrorCode.STATEMENT_TOO_COMPLEX,
          "Statement too complex: its expressions or sub-queries are nested too deeply",
          t);
    }
    for (CalciteFailure f : CALCITE_FAILURES) {
      if (f.type.isInstance(c) && msg.startsWith(f.prefix)) {
        return new NqlException(f.code, f.message, t);
      }
    }
    if (c instanceof CalciteContextException || c instanceof SqlValidatorException) {
      return new NqlException(ErrorCode.VALIDATION_ERROR, oneLine(c.getMessage()), t);
    }
    if (c instanceof IllegalArgumentException
        && (msg.startsWith("Invalid ") || msg.contains("cast") || msg.contains("Cast"))) {
      return new NqlException(
          ErrorCode.INVALID_TEXT_REPRESENTATION, "Invalid input syntax for a cast", t);
    }
    return null;
  }

  /**
   * A failure Calcite raises as a plain exception with a message of its own (which may quote the
   * value it failed on): recognized by its type and the start of its message, reported as {@code
   * code} with {@code message}.
   */
  private record CalciteFailure(
      Class<? extends Throwable> type, String prefix, ErrorCode code, String message) {}

  private static final List<CalciteFailure> CALCITE_FAILURES =
      List.of(
          // the SINGLE_VALUE aggregate of a scalar sub-query
          new CalciteFailure(
              IllegalStateException.class,
              "more than one value in agg SINGLE_VALUE",
              ErrorCode.CARDINALITY_VIOLATION,
              "More than one row returned by a sub-query used as an expression"),
          new CalciteFailure(
              IllegalStateException.class,
              "sub-query as condition must return only one column",
              ErrorCode.SYNTAX_ERROR,
              "A sub-query used as a condition must return exactly one column"),
          new CalciteFailure(
              RuntimeException.class,
              "More than one value in list",
              ErrorCode.CARDINALITY_VIOLATION,
              "More than one element in the array given to ELEMENT"),
          new CalciteFailure(
              RuntimeException.class,
              "Cannot take logarithm of zero or negative number",
              ErrorCode.INVALID_ARGUMENT_FOR_LOGARITHM,
              "Cannot take the logarithm of zero or of a negative number"),
          new CalciteFailure(
              RuntimeException.class,
              "Invalid escape character",
              ErrorCode.INVALID_ESCAPE_CHARACTER,
              "Invalid escape character: the escape of a pattern must be one character"),
          new CalciteFailure(
              RuntimeException.class,
              "Invalid escape sequence",
              ErrorCode.INVALID_ESCAPE_SEQUENCE,
              "Invalid escape sequence in a pattern: an escape must precede a special character"
                  + " or itself"),
          new CalciteFailure(
              RuntimeException.class,
              "Invalid regular expression",
              ErrorCode.INVALID_REGULAR_EXPRESSION,
              "Invalid regular expression"),
          new CalciteFailure(
              RuntimeException.class,
              "Invalid character for cast",
              ErrorCode.INVALID_TEXT_REPRESENTATION,
              "Invalid input syntax for type BOOLEAN"),
          new CalciteFailure(
              RuntimeException.class,
              "Cannot convert",
              ErrorCode.INVALID_TEXT_REPRESENTATION,
              "Invalid input syntax for a cast"),
          new CalciteFailure(
              RuntimeException.class,
              "Substring error: negative substring length",
              ErrorCode.SUBSTRING_ERROR,
              "Negative substring length not allowed"),
          new CalciteFailure(
              RuntimeException.class,
              "Invalid argument '",
              ErrorCode.INVALID_PARAMETER_VALUE,
              "The characters TRIM removes must be given as one character"),
          new CalciteFailure(
              IllegalArgumentException.class,
              "Value of ",
              ErrorCode.DATETIME_FIELD_OVERFLOW,
              "Date or time value out of range: a field of it is out of range"),
          new CalciteFailure(
              RuntimeException.class,
              "Second argument for LPAD/RPAD must not be negative",
              ErrorCode.INVALID_PARAMETER_VALUE,
              "The length given to LPAD or RPAD must not be negative"),
          new CalciteFailure(
              RuntimeException.class,
              "Third argument (pad pattern) for LPAD/RPAD must not be empty",
              ErrorCode.INVALID_PARAMETER_VALUE,
              "The pad of LPAD or RPAD must not be empty"),
          // Calcite's validator accepts some argument types its code generator has no
          // implementation for (ROUND(x, 'a'), SUBSTRING(s FROM 1.5)): a Calcite defect, reported
          // as the missing function it amounts to.
          new CalciteFailure(
              IllegalStateException.class,
              "Unable to implement",
              ErrorCode.UNDEFINED_FUNCTION,
              "Cannot run the statement: a function or operator in it has no implementation for"
                  + " the types of its arguments"));

  private static String position(int line, int column) {
    return line > 0 ? String.format(Locale.ROOT, " at line %d, column %d", line, column) : "";
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "Invalid statement";
    }
    return withoutInternalNames(s.replaceAll("\\s*\\R\\s*", " ").trim());
  }

  /**
   * A validator message without the planner's names for unnamed columns ({@code EXPR$0}, {@code
   * $f1}) and row types ({@code RECORDTYPE(BIGINT EXPR$0, …)} becomes {@code ROW(BIGINT, …)}).
   */
  static String withoutInternalNames(String s) {
    return s.replaceAll(" (?:EXPR\\$|\\$f)\\d+", "")
        .replaceAll("(?:EXPR\\$|\\$f)\\d+", "an unnamed column")
        .replace("RECORDTYPE(", "ROW(");
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
