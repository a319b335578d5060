package io.nql.planner.rosetta.classify;

/**
 * A proposed mapping of one column, ready to become {@code ATTRIBUTE <attribute> AS <expression>}
 * of a {@code CREATE MAPPING}.
 *
 * @param column the column's name as given in its {@link ColumnSample}
 * @param attribute a core attribute's name (core-attributes.json)
 * @param expression an NQL expression over the column (the only column it reads) giving the
 *     attribute's canonical form, e.g. {@code LOWER(TRIM("EmailSHA256"))}
 * @param confidence how sure the classifier is, in [0, 1]
 * @param reason the evidence in one sentence, e.g. {@code 98 % of 1,000 sampled values are 64-char
 *     hex; the name mentions sha256}
 */
public record Suggestion(
    String column, String attribute, String expression, double confidence, String reason) {}
