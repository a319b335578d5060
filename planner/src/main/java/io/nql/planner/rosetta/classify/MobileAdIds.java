package io.nql.planner.rosetta.classify;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Mobile advertising ids (IDFA, GAID): UUIDs. Most UUID columns are not ad ids (orders, sessions,
 * requests, users), so the policy is:
 *
 * <ul>
 *   <li>a name that says ad id or device ({@code maid}, {@code idfa}, {@code gaid}, {@code
 *       device_id}...) proposes {@code maid};
 *   <li>a name that names something else ({@code order_id}, {@code session_id}, {@code user_id},
 *       {@code idfv}...) rules it out;
 *   <li>a neutral name ({@code id}, {@code uuid}) needs two of: device columns beside it (an OS or
 *       platform, a device model, coordinates), upper- and lower-case UUIDs mixed (iOS writes IDFAs
 *       in upper case, Android GAIDs in lower case), the all-zero UUID of limited ad tracking
 *       (repeats prove nothing: sessions repeat too);
 *   <li>UUIDs that are mostly not version 4 (random) are not ad ids, whatever the name: versions 1
 *       and 7 embed a time.
 * </ul>
 */
final class MobileAdIds implements Recognizer {
  static final String MAID = "maid";

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final String ZERO = "00000000-0000-0000-0000-000000000000";

  private static final List<String> AD_ID_HINTS =
      List.of(
          "maid",
          "idfa",
          "gaid",
          "aaid",
          "adid",
          "ifa",
          "advertising",
          "advertiser_id",
          "adv",
          "device",
          "dev",
          "mobile",
          "madid",
          "deviceid");
  private static final List<String> OTHER_HINTS =
      List.of(
          "order",
          "sess",
          "sid",
          "session",
          "transaction",
          "txn",
          "request",
          "req",
          "trace",
          "span",
          "event",
          "message",
          "msg",
          "invoice",
          "payment",
          "cart",
          "basket",
          "file",
          "product",
          "sku",
          "item",
          "campaign",
          "creative",
          "placement",
          "impression",
          "click",
          "bid",
          "auction",
          "record",
          "row",
          "batch",
          "job",
          "run",
          "correlation",
          "booking",
          "reservation",
          "ticket",
          "shipment",
          "account",
          "user",
          "customer",
          "member",
          "household",
          "visitor",
          "cookie",
          "idfv",
          "vendor",
          "tenant",
          "org",
          "company",
          "store",
          "page",
          "post",
          "document",
          "version",
          "install",
          "installation");
  private static final List<String> DEVICE_NEIGHBOURS =
      List.of(
          "os",
          "platform",
          "device",
          "model",
          "make",
          "manufacturer",
          "carrier",
          "idfv",
          "bundle",
          "app",
          "sdk",
          "lat",
          "latitude",
          "lon",
          "lng",
          "longitude",
          "osversion",
          "os_version");

  @Override
  public List<String> attributes() {
    return List.of(MAID);
  }

  @Override
  public List<Suggestion> recognize(ColumnProfile column, Dataset dataset) {
    if (!column.isText() || column.present() == 0) {
      return List.of();
    }
    int matched = column.count(v -> UUID.matcher(v).matches());
    if ((double) matched / column.present() < 0.9) {
      return List.of();
    }
    ColumnName name = column.name();
    String adHint = name.mention(AD_ID_HINTS);
    String otherHint = name.mention(OTHER_HINTS);
    Evidence e;
    if (adHint != null && otherHint == null) {
      e = new Evidence(0.95, column.evidence(matched, "are UUIDs"));
      e.add(0, Evidence.nameMentions(adHint));
    } else if (otherHint != null) {
      e = new Evidence(0.15, column.evidence(matched, "are UUIDs"));
      e.add(0, "but the name mentions \"" + otherHint + "\", not an advertising id");
    } else {
      e = new Evidence(0.4, column.evidence(matched, "are UUIDs, the name is neutral"));
      neutralNameEvidence(column, dataset, e);
    }
    int nonZero = column.count(v -> UUID.matcher(v).matches() && !v.equals(ZERO));
    int v4 = column.count(v -> UUID.matcher(v).matches() && v.charAt(14) == '4');
    if (nonZero > 0 && (double) v4 / nonZero < 0.8) {
      e.cap(0.3, "but only " + ColumnProfile.percent((double) v4 / nonZero) + " are random (v4)");
    }
    return List.of(e.suggest(column, MAID, expression(column, matched)));
  }

  private static void neutralNameEvidence(ColumnProfile column, Dataset dataset, Evidence e) {
    ColumnProfile device = dataset.other(column, c -> c.name().mentions(DEVICE_NEIGHBOURS));
    if (device != null) {
      e.add(0.15, "device columns beside it (" + device.sample().name() + ")");
    }
    int upper = column.count(v -> v.equals(v.toUpperCase(Locale.ROOT)) && hasLetter(v));
    int lower = column.count(v -> v.equals(v.toLowerCase(Locale.ROOT)) && hasLetter(v));
    if (upper >= 0.05 * column.present() && lower >= 0.05 * column.present()) {
      e.add(0.1, "upper- and lower-case UUIDs mixed (IDFA and GAID)");
    }
    if (column.counts().containsKey(ZERO)) {
      e.add(0.1, "the all-zero UUID of limited ad tracking occurs");
    }
  }

  private static boolean hasLetter(String v) {
    return v.chars().anyMatch(Character::isLetter);
  }

  private static String expression(ColumnProfile column, int matched) {
    String col = Expressions.column(column.sample().name());
    boolean strays = column.hasStrays(matched);
    if (!column.hasUpperCase() && !column.needsTrim() && !strays) {
      return col;
    }
    String lower = "LOWER(TRIM(" + col + "))";
    return strays
        ? Expressions.guarded(
            lower, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", lower)
        : lower;
  }
}
