package io.nql.planner.store;

/**
 * The catalog's version: {@code ddl} grows with every change of companies, users, datasets, access
 * rules, mappings and attributes; {@code data} with every commit of rows to a dataset.
 */
public record CatalogVersion(long ddl, long data) {}
