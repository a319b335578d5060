/**
 * Per-caller namespaces: the Calcite root schema with {@code company_data}, one schema per other
 * company slug, and {@code narrative}; and the interface through which datasets are obtained.
 */
package io.nql.planner.catalog;
