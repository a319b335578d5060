/**
 * Statement execution: parse configuration, validation, conversion to a relational plan, the policy
 * hook, optimization, and results as rows or Arrow batches.
 */
package io.nql.planner.exec;
