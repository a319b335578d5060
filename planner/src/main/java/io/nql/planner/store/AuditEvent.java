package io.nql.planner.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One event of the audit log (see V11__audit.sql): who did what to which object, and how it ended.
 * Never holds a password, a secret's value or a webhook URL's token: callers build {@code detail}
 * from names, ids, counts and redacted text only.
 *
 * @param id the event's id (0 until stored)
 * @param occurredAt when it happened
 * @param kind {@code login}, {@code ddl}, {@code rule} or {@code delivery}
 * @param action what happened, e.g. {@code LOGIN}, {@code CREATE DATASET}, {@code DELIVER}
 * @param userId the acting user, or null when unknown (a failed login of a missing user)
 * @param userName the acting user's name as given (a failed login: as typed), or null
 * @param companyId the actor's company, or null when unknown
 * @param objectKind the object's kind ({@code dataset}, {@code access rule}, {@code user}, …), or
 *     null
 * @param objectId the object's id, or null when it has none or it is unknown
 * @param objectName the object's name as its owner wrote it, or null
 * @param objectCompanyId the company owning the object, or null (a global object)
 * @param outcome {@code ok}, {@code failed}, or the SQLSTATE of a failed statement
 * @param statementId the statement, or null
 * @param detail a small JSON object
 */
public record AuditEvent(
    long id,
    Instant occurredAt,
    String kind,
    String action,
    @Nullable Long userId,
    @Nullable String userName,
    @Nullable Long companyId,
    @Nullable String objectKind,
    @Nullable Long objectId,
    @Nullable String objectName,
    @Nullable Long objectCompanyId,
    String outcome,
    @Nullable String statementId,
    String detail) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The longest detail stored: a longer one keeps only its keys' count (never cut mid-value). */
  static final int MAX_DETAIL = 2000;

  /** The acting user of an event: its id (null when unknown), name as given, and company. */
  public record Actor(@Nullable Long userId, @Nullable String userName, @Nullable Long companyId) {
    /** A known user. */
    public static Actor of(User u) {
      return new Actor(u.id(), u.name(), u.companyId());
    }
  }

  /** The object of an event: kind, id (or null), name as written, owning company (or null). */
  public record Target(
      String kind, @Nullable Long id, @Nullable String name, @Nullable Long companyId) {}

  /** A new event, happening now. */
  public static AuditEvent of(
      String kind,
      String action,
      Actor actor,
      @Nullable Target target,
      String outcome,
      @Nullable String statementId,
      Map<String, ?> detail) {
    return new AuditEvent(
        0,
        Instant.now(),
        kind,
        action,
        actor.userId(),
        actor.userName(),
        actor.companyId(),
        target == null ? null : target.kind(),
        target == null ? null : target.id(),
        target == null ? null : target.name(),
        target == null ? null : target.companyId(),
        outcome,
        statementId,
        json(detail));
  }

  /** This event with the id the store gave it. */
  AuditEvent withId(long newId) {
    return new AuditEvent(
        newId,
        occurredAt,
        kind,
        action,
        userId,
        userName,
        companyId,
        objectKind,
        objectId,
        objectName,
        objectCompanyId,
        outcome,
        statementId,
        detail);
  }

  private static String json(Map<String, ?> detail) {
    try {
      String s = JSON.writeValueAsString(detail);
      return s.length() <= MAX_DETAIL ? s : "{\"truncated_keys\":" + detail.size() + "}";
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("audit detail is not JSON: " + e.getMessage(), e);
    }
  }
}
