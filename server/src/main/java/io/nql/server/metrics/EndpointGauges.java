package io.nql.server.metrics;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * What the gateway's JDBC and Flight SQL endpoints hold and have sent, read at each scrape.
 *
 * @param jdbcBytesSent HTTP response bytes the JDBC endpoint has sent since it started
 * @param flightBytesSent gRPC message bytes the Flight endpoint has sent since it started
 * @param jdbcArrowBytes Arrow memory the JDBC endpoint's open results hold now
 * @param flightArrowBytes Arrow memory the Flight endpoint's root allocator holds now
 * @param jdbcConnections open JDBC connections
 * @param jdbcActive JDBC connections with a request in flight or an open result
 * @param flightStreams Flight result streams running now
 * @param flightStatements Flight statements executed and not yet fully read or closed
 */
public record EndpointGauges(
    LongSupplier jdbcBytesSent,
    LongSupplier flightBytesSent,
    LongSupplier jdbcArrowBytes,
    LongSupplier flightArrowBytes,
    IntSupplier jdbcConnections,
    IntSupplier jdbcActive,
    IntSupplier flightStreams,
    IntSupplier flightStatements) {}
