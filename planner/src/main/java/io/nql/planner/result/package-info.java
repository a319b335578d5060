/**
 * What a statement returns, shared by the executor that produces it and the engine API that hands
 * it to the front ends: {@link io.nql.planner.result.ResultColumn}. Depends on nothing else in the
 * planner.
 */
package io.nql.planner.result;
