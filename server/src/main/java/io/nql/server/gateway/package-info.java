/**
 * The network gateway: the engine's Avatica {@code Meta} over HTTP (protobuf or JSON), with HTTP
 * Basic authentication on every request, connections bound to the principal that opened them,
 * cancel, statement and idle timeouts, TLS and a graceful stop.
 */
package io.nql.server.gateway;
