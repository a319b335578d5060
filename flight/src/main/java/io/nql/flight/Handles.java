package io.nql.flight;

import com.google.protobuf.ByteString;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * Opaque handles of prepared statements and executed statements: {@code <user>/<random id>}. The
 * user is the principal the handle belongs to; a handle presented by anyone else is refused as if
 * it did not exist (the registry checks the owner it stored too, so a forged prefix gains nothing).
 */
final class Handles {
  private Handles() {}

  /** A parsed handle. */
  record Handle(String user, String id) {
    ByteString bytes() {
      return ByteString.copyFrom(user + "/" + id, StandardCharsets.UTF_8);
    }
  }

  /** A new handle owned by the user. */
  static Handle create(String user) {
    return new Handle(user, UUID.randomUUID().toString());
  }

  /** The error for a handle that is not the caller's or no longer open. */
  static NqlException unknown(String what) {
    return new NqlException(
        ErrorCode.UNDEFINED_OBJECT, "Cannot use " + what + ": unknown, closed or expired handle");
  }

  /** The handle if the bytes are one and belong to {@code caller}; empty otherwise. */
  static Optional<Handle> parse(ByteString bytes, String caller) {
    String s = bytes.toStringUtf8();
    int slash = s.lastIndexOf('/');
    if (slash <= 0 || !s.substring(0, slash).equals(caller)) {
      return Optional.empty();
    }
    return Optional.of(new Handle(caller, s.substring(slash + 1)));
  }
}
