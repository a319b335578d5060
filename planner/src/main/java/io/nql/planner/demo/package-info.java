/**
 * The demo marketplace: deterministic generated datasets (fixed seed) and the companies, users and
 * datasets that {@code nql demo} creates from them.
 */
package io.nql.planner.demo;
