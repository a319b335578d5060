package io.nql.server.gateway;

/** The Avatica wire format the gateway speaks; the driver's {@code serialization} must match. */
public enum Serialization {
  PROTOBUF,
  JSON
}
