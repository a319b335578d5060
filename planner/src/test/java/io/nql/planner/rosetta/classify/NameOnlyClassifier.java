package io.nql.planner.rosetta.classify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The baseline {@link Classifier} is measured against: column-name heuristics alone, as a provider
 * (or a first version of {@code SUGGEST MAPPINGS}) would write them, never looking at a value. Its
 * expression is the bare column.
 */
final class NameOnlyClassifier {
  /** Name words → attribute, the first rule whose word the name mentions wins. */
  private static final Map<List<String>, String> RULES = new LinkedHashMap<>();

  static {
    RULES.put(List.of("sha256", "sha2", "hashed_email", "hem"), "sha256_hashed_email");
    RULES.put(List.of("md5"), "md5_hashed_email");
    RULES.put(List.of("sha1"), "sha1_hashed_email");
    RULES.put(List.of("email", "mail", "e_mail"), "email");
    RULES.put(
        List.of("maid", "idfa", "gaid", "aaid", "ifa", "advertising", "ad_id", "device_id"),
        "maid");
    RULES.put(List.of("ip", "ip_address", "ipv4", "ipv6", "ip6", "remote_addr"), "ip_address");
    RULES.put(List.of("phone", "mobile", "tel", "cell", "msisdn"), "phone_e164");
    RULES.put(List.of("country", "cntry"), "iso_3166_1_country");
    RULES.put(List.of("gender", "sex", "gndr"), "hl7_gender");
    RULES.put(List.of("birth", "dob", "yob", "byear"), "birth_year");
    RULES.put(List.of("age"), "age");
    RULES.put(List.of("zip", "postal", "postcode"), "postal_code");
    RULES.put(List.of("lat", "latitude"), "latitude");
    RULES.put(List.of("lon", "lng", "longitude"), "longitude");
    RULES.put(List.of("os", "platform"), "device_os");
    RULES.put(List.of("opt", "optin", "consent"), "opted_in");
    RULES.put(
        List.of("ts", "timestamp", "time", "date", "created", "at", "seen", "epoch"),
        "event_timestamp");
  }

  List<Suggestion> suggest(List<ColumnSample> columns) {
    List<Suggestion> out = new ArrayList<>();
    for (ColumnSample c : columns) {
      ColumnName name = ColumnName.of(c.name());
      for (Map.Entry<List<String>, String> rule : RULES.entrySet()) {
        String hint = name.mention(rule.getKey());
        if (hint != null) {
          out.add(
              new Suggestion(
                  c.name(),
                  rule.getValue(),
                  Expressions.column(c.name()),
                  1,
                  "the name mentions \"" + hint + "\""));
          break;
        }
      }
    }
    return out;
  }
}
