package io.nql.server.behaviour;

import io.nql.server.gateway.GatewayConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * The behaviour suite over the Flight SQL endpoint through Arrow's {@code FlightSqlClient}; at the
 * end the gateway's Flight allocator must hold zero bytes.
 */
class FlightSqlClientBehaviourTest extends FrontEndBehaviourSuite {
  @Override
  FrontEnd start(Path warehouse, Path ingestRoot, String adminPassword) {
    return new FlightSqlClientFrontEnd(
        GatewayConfig.builder(warehouse)
            .jdbcPort(0)
            .flightPort(0)
            .metricsPort(0)
            .bindAddress("127.0.0.1")
            .ingestRoots(List.of(ingestRoot))
            .adminPassword(adminPassword)
            .build());
  }
}
