package io.nql.planner.plane.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.net.ServerSocket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/** The Spark Connect client's refusals and failures that need no Spark server. */
class SparkConnectClientTest {
  @Test
  void aUrlOfAnotherFormIsRefused() {
    for (String url : new String[] {"http://localhost:15002", "sc://", "localhost:15002", "sc:x"}) {
      NqlException e =
          catchThrowableOfType(NqlException.class, () -> SparkConnectClient.connect(url, "nql"));
      assertThat(e).as(url).isNotNull();
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
      assertThat(e.getMessage()).contains("sc://host[:port]");
    }
  }

  @Test
  void theDefaultPortIsSparkConnects() {
    try (SparkConnectClient c = SparkConnectClient.connect("sc://127.0.0.1", "nql")) {
      assertThat(c.address()).isEqualTo("127.0.0.1:15002");
    }
  }

  @Test
  void anUnreachableServerFailsTheQueryWithAConnectionError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // the port was free a moment ago and nothing listens on it now
    try (BufferAllocator allocator = new RootAllocator();
        SparkConnectClient c = SparkConnectClient.connect("sc://127.0.0.1:" + port, "nql")) {
      NqlException e =
          catchThrowableOfType(
              NqlException.class,
              () -> {
                try (SparkQuery q = c.query("SELECT 1", allocator)) {
                  q.loadNextBatch();
                }
              });
      assertThat(e).isNotNull();
      assertThat(e.code()).isEqualTo(ErrorCode.EXTERNAL_CONNECTION_FAILED);
      assertThat(e.getMessage())
          .isEqualTo(
              "Cannot run statement on Spark plane 127.0.0.1:" + port + ": it cannot be reached");
      assertThat(allocator.getAllocatedMemory()).isZero();
    }
  }
}
