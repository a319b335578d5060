/** The error fuzzer: mutated buyer statements against a real engine must get precise errors. */
package io.nql.planner.fuzz;
