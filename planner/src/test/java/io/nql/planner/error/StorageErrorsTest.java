package io.nql.planner.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Which storage failures are told apart: a full disk, and a catalog connection that broke while a
 * commit was under way (its outcome unknown) from one that never carried the commit.
 */
class StorageErrorsTest {
  @Test
  void aConnectionThatBrokeDuringTheStatementLeavesTheOutcomeUnknown() {
    RuntimeException lost =
        new RuntimeException(
            "Database Connection failed",
            new SQLException("An I/O error occurred while sending to the backend.", "08006"));
    assertThat(StorageErrors.connectionBrokeMidStatement(lost)).isTrue();
    assertThat(
            StorageErrors.connectionBrokeMidStatement(
                new SQLException("transaction resolution unknown", "08007")))
        .isTrue();
  }

  @Test
  void aConnectionNeverOpenedOrAStatementRefusedIsAPlainFailure() {
    // could not connect, the database refusing connections, the server cancelling the statement
    for (String state : new String[] {"08001", "08004", "55000", "57P01", "57014", null}) {
      assertThat(
              StorageErrors.connectionBrokeMidStatement(
                  new RuntimeException(new SQLException("refused", state))))
          .as(String.valueOf(state))
          .isFalse();
    }
    assertThat(
            StorageErrors.connectionBrokeMidStatement(new UncheckedIOException(new IOException())))
        .isFalse();
  }

  @Test
  void aFullDiskIsToldApart() {
    NqlException full =
        StorageErrors.writeFailed(
            "Cannot write table 't'", "failed", new IOException("No space left on device"));
    assertThat(full.code()).isEqualTo(ErrorCode.DISK_FULL);
    assertThat(full.getMessage())
        .isEqualTo("Cannot write table 't': no space left on the warehouse's disk");
    NqlException other =
        StorageErrors.writeFailed("Cannot write table 't'", "failed", new IOException("boom"));
    assertThat(other.code()).isEqualTo(ErrorCode.IO_ERROR);
    assertThat(other.getMessage()).isEqualTo("Cannot write table 't': failed");
  }
}
