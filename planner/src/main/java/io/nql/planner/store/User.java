package io.nql.planner.store;

/**
 * A user who can log in; it acts for exactly one company.
 *
 * @param id numeric id
 * @param name login name, unique across the marketplace
 * @param companyId the company the user belongs to
 * @param admin whether the user may run admin statements
 */
public record User(long id, String name, long companyId, boolean admin) {}
