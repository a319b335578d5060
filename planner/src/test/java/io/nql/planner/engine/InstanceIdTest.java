package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instance ids are leases: two gateways on one warehouse hold different ids (neither settles the
 * other's open reservations when it starts), and a gateway that starts after one stopped takes the
 * stopped one's id (and settles what it left open).
 */
class InstanceIdTest {
  @TempDir Path warehouse;

  @Test
  void runningGatewaysHoldDifferentIdsAndAStoppedOnesIdIsTakenOver() throws Exception {
    String first;
    String second;
    try (InstanceId a = InstanceId.claim(warehouse);
        InstanceId b = InstanceId.claim(warehouse)) {
      first = a.id();
      second = b.id();
      assertThat(first).isNotEqualTo(second);
      try (InstanceId c = InstanceId.claim(warehouse)) {
        assertThat(c.id()).isNotIn(first, second);
      }
    }
    // both stopped: the next gateway takes the first id, the one after it another stopped one
    try (InstanceId a = InstanceId.claim(warehouse);
        InstanceId b = InstanceId.claim(warehouse)) {
      assertThat(a.id()).isEqualTo(first);
      assertThat(b.id()).isNotEqualTo(first);
      assertThat(Files.readString(warehouse.resolve(InstanceId.FILE)).trim()).isEqualTo(first);
    }
  }

  @Test
  void theIdOfAWarehouseWrittenBeforeLeasesIsKept() throws Exception {
    Files.writeString(warehouse.resolve(InstanceId.FILE), "0b9c2cbd-legacy\n");
    try (InstanceId a = InstanceId.claim(warehouse)) {
      assertThat(a.id()).isEqualTo("0b9c2cbd-legacy");
    }
  }
}
