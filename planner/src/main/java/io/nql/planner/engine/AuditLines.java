package io.nql.planner.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nql.planner.store.AccessRule;
import io.nql.planner.store.AuditEvent;
import io.nql.planner.store.Company;
import io.nql.planner.store.MetadataStore;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Writes each committed audit event as one JSON line, flushed at once, for log shippers ({@code nql
 * serve --audit-log}). A line holds what the event holds (names, ids, counts; never a password, a
 * secret's value or a webhook URL) with companies by slug and a delivery's rule by name. A line
 * that cannot be written is logged; the event stays in the store.
 */
final class AuditLines implements Consumer<AuditEvent> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Writer out;
  private final MetadataStore store;
  private final Map<Long, String> slugs = new ConcurrentHashMap<>();

  AuditLines(Writer out, MetadataStore store) {
    this.out = out;
    this.store = store;
  }

  @Override
  public void accept(AuditEvent e) {
    String line = line(e);
    synchronized (this) {
      try {
        out.write(line);
        out.write('\n');
        out.flush();
      } catch (IOException x) {
        throw new java.io.UncheckedIOException("Cannot write the audit log line", x);
      }
    }
  }

  /** The event as one line of JSON (no line break inside: JSON escapes them in strings). */
  String line(AuditEvent e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("event_id", e.id());
    n.put("time", e.occurredAt().toString());
    n.put("kind", e.kind());
    n.put("action", e.action());
    n.put("user", e.userName());
    n.put("user_id", e.userId());
    n.put("company", slug(e.companyId()));
    n.put("object_kind", e.objectKind());
    n.put("object_id", e.objectId());
    n.put("object_name", objectName(e));
    n.put("object_company", slug(e.objectCompanyId()));
    n.put("outcome", e.outcome());
    n.put("statement_id", e.statementId());
    try {
      n.set("detail", JSON.readTree(e.detail()));
      return JSON.writeValueAsString(n);
    } catch (IOException x) {
      throw new java.io.UncheckedIOException("Cannot format the audit event", x);
    }
  }

  private String objectName(AuditEvent e) {
    if (e.objectName() != null || e.objectId() == null || !"delivery".equals(e.kind())) {
      return e.objectName();
    }
    // A delivery's rule is named in the store's row; the committed event carries only its id.
    JsonVersion v = JsonVersion.of(e.detail());
    return store
        .accessRules()
        .version(e.objectId(), v.version())
        .map(AccessRule::name)
        .orElse("#" + e.objectId());
  }

  private String slug(Long companyId) {
    if (companyId == null) {
      return null;
    }
    return slugs.computeIfAbsent(
        companyId, id -> store.company(id).map(Company::slug).orElse("#" + id));
  }

  /** The rule version a delivery's detail records. */
  private record JsonVersion(int version) {
    static JsonVersion of(String detail) {
      try {
        return new JsonVersion(JSON.readTree(detail).path("rule_version").asInt(1));
      } catch (IOException x) {
        return new JsonVersion(1);
      }
    }
  }
}
