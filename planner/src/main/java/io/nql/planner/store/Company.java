package io.nql.planner.store;

/**
 * A company of the marketplace; its slug is also the name of its SQL schema.
 *
 * @param id numeric id, never reused
 * @param slug lower-case identifier, unique
 */
public record Company(long id, String slug) {}
