/**
 * Access rules in queries: rule tables in callers' namespaces, the one rewriter that replaces each
 * rule scan by the rule's restricted plan behind a security barrier, the leak-proof test that
 * decides what may cross that barrier, and the metering of rows delivered through each rule.
 */
package io.nql.planner.policy;
