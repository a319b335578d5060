/**
 * The policy-integrity harnesses (issue 9): worlds that differ only in what a buyer may not see or
 * has not paid for, a seeded generator of buyer statements, and the observations compared between
 * worlds. Published in the planner's test-jar so that the front ends run the same statements.
 */
package io.nql.planner.policy.harness;
