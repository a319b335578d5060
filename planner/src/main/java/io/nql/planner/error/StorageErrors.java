package io.nql.planner.error;

/**
 * Errors of the engine's own storage (writing data files and table metadata): a full disk is told
 * apart from other I/O failures, because an operator can fix it and the client should know to retry
 * after space is freed rather than report a bug.
 */
public final class StorageErrors {
  private StorageErrors() {}

  /**
   * The error of a failed write: {@link ErrorCode#DISK_FULL} ({@code "<cannot>: no space left on
   * the warehouse's disk"}) when {@code cause} or one of its causes is an I/O error saying the
   * device is full or the quota is spent, else {@link ErrorCode#IO_ERROR} ({@code "<cannot>:
   * <reason>"}).
   *
   * @param cannot the message's beginning, {@code Cannot <verb> <object>}
   */
  public static NqlException writeFailed(String cannot, String reason, Throwable cause) {
    if (diskFull(cause)) {
      return new NqlException(
          ErrorCode.DISK_FULL, cannot + ": no space left on the warehouse's disk", cause);
    }
    return new NqlException(ErrorCode.IO_ERROR, cannot + ": " + reason, cause);
  }

  /** Whether {@code t} or one of its causes says the device is full (ENOSPC, EDQUOT). */
  public static boolean diskFull(Throwable t) {
    for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t instanceof NqlException n && n.code() == ErrorCode.DISK_FULL) {
        return true;
      }
      String m = t.getMessage();
      if (t instanceof java.io.IOException
          && m != null
          && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code t} or one of its causes is a database connection that broke while a statement
   * was under way ({@code 08006} connection failure, {@code 08007} transaction resolution unknown):
   * the statement may have committed on the server before the reply was lost. A connection that
   * could not be opened, or a server that refused the statement, is not such a failure.
   */
  public static boolean connectionBrokeMidStatement(Throwable t) {
    for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t instanceof java.sql.SQLException e) {
        String state = e.getSQLState();
        if ("08006".equals(state) || "08007".equals(state)) {
          return true;
        }
      }
    }
    return false;
  }
}
