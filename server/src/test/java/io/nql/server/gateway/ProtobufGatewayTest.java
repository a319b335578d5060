package io.nql.server.gateway;

/** The gateway suite over Avatica's protobuf serialization (the default). */
class ProtobufGatewayTest extends GatewayJdbcContract {
  @Override
  Serialization serialization() {
    return Serialization.PROTOBUF;
  }
}
