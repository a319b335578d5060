package io.nql.server.gateway;

/** The gateway suite over Avatica's JSON serialization. */
class JsonGatewayTest extends GatewayJdbcContract {
  @Override
  Serialization serialization() {
    return Serialization.JSON;
  }
}
