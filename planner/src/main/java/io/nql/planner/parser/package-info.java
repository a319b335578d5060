/**
 * The NQL grammar: the {@link io.nql.planner.parser.NqlParser} facade and the AST nodes of NQL's
 * statements and clauses; the generated parser lives in {@code io.nql.planner.parser.impl}.
 */
package io.nql.planner.parser;
