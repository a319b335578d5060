package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The id of the gateway instance serving a warehouse directory, kept in {@code
 * <warehouse>/instance-id}: stable across restarts, so a restarted gateway finds the ledger
 * reservations it left open.
 */
final class InstanceId {
  static final String FILE = "instance-id";

  private InstanceId() {}

  static String of(Path warehouse) {
    Path file = warehouse.resolve(FILE);
    try {
      if (Files.exists(file)) {
        String id = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!id.isEmpty()) {
          return id;
        }
      }
      String id = UUID.randomUUID().toString();
      Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
      return id;
    } catch (IOException e) {
      throw new NqlException(
          ErrorCode.IO_ERROR, "Cannot read or create " + file + ": " + e.getMessage(), e);
    }
  }
}
