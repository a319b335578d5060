package io.nql.planner.error;

/**
 * Every error the engine reports, with the SQLSTATE clients see and whether it is the user's fault.
 *
 * <p>Front ends map an {@link NqlException} once, by its code: JDBC gets the SQLSTATE and vendor
 * code, Flight a status code derived from the SQLSTATE class.
 */
public enum ErrorCode {
  /** The statement does not parse. */
  SYNTAX_ERROR("42601", true),
  /** A table does not exist or the caller may not see it (deliberately one error for both). */
  UNKNOWN_TABLE("42P01", true),
  /** A column reference does not resolve. */
  UNKNOWN_COLUMN("42703", true),
  /** A schema other than company_data, a company slug or narrative. */
  INVALID_SCHEMA("3F000", true),
  /** Semantic validation failed (types, ambiguous names, bad function call, ...). */
  VALIDATION_ERROR("42000", true),
  /** An object with this name already exists. */
  DUPLICATE_OBJECT("42710", true),
  /** A dataset or table with this name already exists. */
  DUPLICATE_TABLE("42P07", true),
  /** A named object (company, user) does not exist. */
  UNDEFINED_OBJECT("42704", true),
  /** The caller is authenticated but lacks the privilege (e.g. admin statements). */
  INSUFFICIENT_PRIVILEGE("42501", true),
  /** Credentials missing or wrong. */
  INVALID_AUTHORIZATION("28000", true),
  /** Valid syntax for a feature that is not implemented (yet). */
  NOT_SUPPORTED("0A000", true),
  /** A value in a loaded file or expression cannot be converted to its type. */
  INVALID_TEXT_REPRESENTATION("22P02", true),
  /** A loaded file is malformed (bad quoting, ragged row, bad JSON). */
  BAD_COPY_FILE_FORMAT("22P04", true),
  /** A numeric value is out of range for its type. */
  NUMERIC_VALUE_OUT_OF_RANGE("22003", true),
  /** Division by zero. */
  DIVISION_BY_ZERO("22012", true),
  /** A value that breaks a constraint of the data (e.g. NULL in a required column). */
  DATA_EXCEPTION("22000", true),
  /** An option or argument value is invalid. */
  INVALID_PARAMETER_VALUE("22023", true),
  /** A file named by the statement does not exist or is not readable. */
  UNDEFINED_FILE("58P01", true),
  /** A path outside the configured ingest roots. */
  PATH_NOT_ALLOWED("42501", true),
  /** An object cannot be used in its current state (e.g. an access rule whose dataset changed). */
  OBJECT_NOT_IN_PREREQUISITE_STATE("55000", true),
  /** The statement was cancelled or timed out. */
  QUERY_CANCELED("57014", true),
  /** An I/O failure of the engine's own storage. */
  IO_ERROR("58030", false),
  /** A bug or an unexpected failure; the message is generic, details go to the server log. */
  INTERNAL_ERROR("XX000", false),
  // Added after INTERNAL_ERROR so that every earlier constant keeps its vendor code.
  /**
   * A sub-query used as an expression returned more than one row (or ELEMENT got a longer array).
   */
  CARDINALITY_VIOLATION("21000", true),
  /** The logarithm of zero or of a negative number. */
  INVALID_ARGUMENT_FOR_LOGARITHM("2201E", true),
  /**
   * The square root of a negative number, zero to a negative power, a negative number to a power
   * that is not a whole number.
   */
  INVALID_ARGUMENT_FOR_POWER_FUNCTION("2201F", true),
  /** A malformed regular expression (SIMILAR TO, REGEXP_REPLACE, …). */
  INVALID_REGULAR_EXPRESSION("2201B", true),
  /** A LIKE or SIMILAR TO escape that is not exactly one character. */
  INVALID_ESCAPE_CHARACTER("22019", true),
  /** A pattern that ends in its escape character, or escapes a character that takes no escape. */
  INVALID_ESCAPE_SEQUENCE("22025", true),
  /** A substring of negative length. */
  SUBSTRING_ERROR("22011", true),
  /** A LIMIT or FETCH row count that is not a whole number of rows. */
  INVALID_ROW_COUNT_IN_LIMIT("2201W", true),
  /** An OFFSET row count that is not a whole number of rows. */
  INVALID_ROW_COUNT_IN_OFFSET("2201X", true),
  /** A date, time or timestamp out of range. */
  DATETIME_FIELD_OVERFLOW("22008", true),
  /** No function or operator of that name takes these arguments (their number or types). */
  UNDEFINED_FUNCTION("42883", true),
  /** A {@code ?} parameter in a place that gives it no type. */
  INDETERMINATE_DATATYPE("42P18", true),
  /** An object of the wrong kind, e.g. a scalar function used as a table. */
  WRONG_OBJECT_TYPE("42809", true),
  /** A statement nested too deeply for the engine to plan. */
  STATEMENT_TOO_COMPLEX("54001", true),
  /** A NULL where a value is required, e.g. a window frame offset. */
  NULL_VALUE_NOT_ALLOWED("22004", true),
  /** A cast between types that do not convert, e.g. {@code CAST(1 AS DATE)}. */
  CANNOT_COERCE("42846", true),
  /** Values that must have one type have incompatible types (IN lists, CASE branches). */
  DATATYPE_MISMATCH("42804", true),
  /** An expression of an aggregating query that is neither grouped nor aggregated. */
  GROUPING_ERROR("42803", true),
  /** A row written with NULL in a required (NOT NULL) column. */
  NOT_NULL_VIOLATION("23502", true),
  /** An INSERT whose values do not match its target columns in number. */
  COLUMN_COUNT_MISMATCH("42601", true),
  /** A change that conflicts with a change committed while it ran: run it again. */
  SERIALIZATION_FAILURE("40001", true),
  /** An object another statement is using in a way that excludes this one (a view's run). */
  OBJECT_IN_USE("55006", true),
  /** An object that others depend on (a data plane datasets rest in): drop those first. */
  DEPENDENT_OBJECTS_STILL_EXIST("2BP01", true),
  /** A statement that would create two columns of one name. */
  DUPLICATE_COLUMN("42701", true),
  /** A name that breaks the naming rules of its kind of object. */
  INVALID_NAME("42602", true),
  /** An external source (a PostgreSQL server an import reads) cannot be reached or refused us. */
  EXTERNAL_CONNECTION_FAILED("HV00N", true),
  /** An external source reported an error while an import read it. */
  EXTERNAL_SOURCE_ERROR("HV000", true),
  /**
   * The warehouse's disk (or the file system holding it) has no space left: what the statement
   * wrote is removed, nothing is committed; it works once space is freed.
   */
  DISK_FULL("53100", false);

  private final String sqlState;
  private final boolean userError;

  ErrorCode(String sqlState, boolean userError) {
    this.sqlState = sqlState;
    this.userError = userError;
  }

  /** The five-character SQLSTATE. */
  public String sqlState() {
    return sqlState;
  }

  /** Vendor code reported through JDBC: stable, one per constant. */
  public int vendorCode() {
    return 1000 + ordinal();
  }

  /** True when the client caused the error (as opposed to a failure of the engine). */
  public boolean isUserError() {
    return userError;
  }
}
