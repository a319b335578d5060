package io.nql.planner.engine;

import io.nql.planner.store.AuditEvent;
import io.nql.planner.store.MetadataStore;
import io.nql.planner.store.User;
import java.util.LinkedHashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Audits password checks: a successful login, and a failed one with the user name as given (never
 * the password). A failed login of an existing user belongs to that user's company (its users read
 * the attempts on their accounts); of a missing user, to nobody (only admins read it). A store that
 * cannot take the event never changes the login's answer.
 */
final class LoginAudit {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LoginAudit.class);

  /** The longest user name recorded as given: a longer one is cut (it is typed by anyone). */
  static final int MAX_NAME = 128;

  private LoginAudit() {}

  /**
   * Appends one login event.
   *
   * @param name the user name as given
   * @param user the authenticated user, or null when the login failed
   * @param frontEnd {@code avatica}, {@code flight} or {@code embedded}
   * @param remote the client's address, or null
   * @param failure why it failed ({@code wrong_credentials}, {@code throttled}), or null
   */
  static void record(
      MetadataStore store,
      String name,
      @Nullable User user,
      String frontEnd,
      @Nullable String remote,
      @Nullable String failure) {
    try {
      String given = name == null ? "" : name;
      given = given.length() <= MAX_NAME ? given : given.substring(0, MAX_NAME);
      User known = user != null ? user : store.user(given).orElse(null);
      AuditEvent.Actor actor =
          new AuditEvent.Actor(
              known == null ? null : known.id(), given, known == null ? null : known.companyId());
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("front_end", frontEnd);
      if (remote != null) {
        detail.put("remote", remote);
      }
      if (failure != null) {
        detail.put("reason", failure);
      }
      store
          .audit()
          .append(
              AuditEvent.of(
                  "login", "LOGIN", actor, null, failure == null ? "ok" : "failed", null, detail));
    } catch (RuntimeException e) {
      LOG.error("Cannot audit a login", e);
    }
  }
}
