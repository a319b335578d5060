/**
 * Avatica's {@code Meta} over engine sessions: the one JDBC-shaped service that the embedded driver
 * reaches through {@code LocalService} and the gateway hosts over HTTP.
 */
package io.nql.planner.meta;
