/**
 * Forecasts ({@code EXPLAIN <query>}): statistics of a source's rows ({@link
 * io.nql.planner.forecast.Profile}, built by {@link io.nql.planner.forecast.Profiler} and kept in
 * Iceberg Puffin statistics files by {@link io.nql.planner.forecast.ProfileStore}) and the
 * estimation of a query's rows from them ({@link io.nql.planner.forecast.PlanEstimator}).
 */
package io.nql.planner.forecast;
