/**
 * Table maintenance of datasets: snapshot expiry and orphan-file removal ({@code VACUUM}),
 * retention, and the scheduled maintenance pass of {@code nql serve}.
 */
package io.nql.planner.maintenance;
