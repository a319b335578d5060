package io.nql.planner.error;

/**
 * An error meant for the client: a code and a one-line message that names the object and the
 * reason. The message never contains a stack trace or a class name.
 */
public class NqlException extends RuntimeException {
  private final ErrorCode code;

  public NqlException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public NqlException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** Shorthand for a formatted message. */
  public static NqlException of(ErrorCode code, String format, Object... args) {
    return new NqlException(code, String.format(java.util.Locale.ROOT, format, args));
  }

  /** The error's code. */
  public ErrorCode code() {
    return code;
  }

  /** The SQLSTATE of the code. */
  public String sqlState() {
    return code.sqlState();
  }

  /** The error as clients see it: SQLSTATE and message, no class name. */
  @Override
  public String toString() {
    return code.sqlState() + ": " + getMessage();
  }
}
