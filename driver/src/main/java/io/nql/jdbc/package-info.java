/**
 * The {@code jdbc:nql:} JDBC driver: Avatica's client over a remote gateway ({@code
 * jdbc:nql://host:port}) or over an in-process engine ({@code jdbc:nql:embedded:<dir>}).
 */
package io.nql.jdbc;
