/** The demo marketplace: companies, users and deterministic generated datasets. */
package io.nql.planner.demo;
