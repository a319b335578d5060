package io.nql.planner.meta;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps engine errors to the Avatica error type, once, for every Meta call. */
final class MetaErrors {
  private static final Logger LOG = LoggerFactory.getLogger(MetaErrors.class);

  private MetaErrors() {}

  /** The Avatica exception carrying the error's SQLSTATE, vendor code and one-line message. */
  static AvaticaRuntimeException toAvatica(RuntimeException e) {
    if (e instanceof AvaticaRuntimeException are) {
      return are;
    }
    if (e instanceof NqlException nql && nql.code().isUserError()) {
      return new AvaticaRuntimeException(
          nql.getMessage(), nql.code().vendorCode(), nql.sqlState(), AvaticaSeverity.ERROR);
    }
    LOG.error("Internal error in a JDBC call", e);
    ErrorCode code = e instanceof NqlException nql ? nql.code() : ErrorCode.INTERNAL_ERROR;
    String message =
        e instanceof NqlException nql
            ? nql.getMessage()
            : "Internal error: the statement failed unexpectedly; see the gateway log";
    return new AvaticaRuntimeException(
        message, code.vendorCode(), code.sqlState(), AvaticaSeverity.ERROR);
  }
}
