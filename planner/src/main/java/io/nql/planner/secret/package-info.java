/**
 * Secrets: credentials a company stores for connectors (CREATE SECRET), sealed with AES-GCM under
 * the gateway's secret key before they reach the metadata store, and never shown again.
 */
package io.nql.planner.secret;
