/** Deterministic demo datasets for the demo marketplace: same seed, same rows on every run. */
package io.nql.planner.demo;
