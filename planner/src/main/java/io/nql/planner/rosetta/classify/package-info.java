/**
 * The classification engine behind {@code SUGGEST MAPPINGS} (NQL.md §7): profiles a sample of each
 * column of a dataset (value patterns, cardinality, name) and proposes the Rosetta Stone attribute
 * it holds, an NQL expression that turns it into the attribute's canonical form, and a confidence.
 * Pure: it sees values, never the engine.
 */
package io.nql.planner.rosetta.classify;
