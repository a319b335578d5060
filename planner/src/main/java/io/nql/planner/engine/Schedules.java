package io.nql.planner.engine;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The times a {@code REFRESH_SCHEDULE} names, in UTC: {@code @once} (none after the first run),
 * {@code @hourly}, {@code @daily}, {@code @weekly} (Sundays), {@code @monthly} (the 1st), or a cron
 * expression — five fields (minute hour day-of-month month day-of-week, as crontab) or six (a
 * seconds field first, as Spring's).
 */
final class Schedules {
  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser SIX_FIELDS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));
  private static final Map<String, String> SHORTCUTS =
      Map.of(
          "@hourly", "0 * * * *",
          "@daily", "0 0 * * *",
          "@weekly", "0 0 * * 0",
          "@monthly", "0 0 1 * *");

  private Schedules() {}

  /**
   * Checks a schedule of view {@code view}: a cron expression that is well formed but names no time
   * (such as February 30th) or cannot be read fails with 22023.
   */
  static void check(String view, String schedule) {
    if (schedule.equals("@once")) {
      return;
    }
    Cron cron = cron(view, schedule);
    if (ExecutionTime.forCron(cron)
        .nextExecution(ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC))
        .isEmpty()) {
      throw invalid(view, schedule, "it names no time");
    }
  }

  /** The first time after {@code after} that {@code schedule} names, or null for {@code @once}. */
  static @Nullable Instant next(String schedule, Instant after) {
    if (schedule.equals("@once")) {
      return null;
    }
    Optional<ZonedDateTime> next =
        ExecutionTime.forCron(cron("", schedule))
            .nextExecution(ZonedDateTime.ofInstant(after, ZoneOffset.UTC));
    return next.map(ZonedDateTime::toInstant).orElse(null);
  }

  private static Cron cron(String view, String schedule) {
    String expression = SHORTCUTS.getOrDefault(schedule, schedule);
    String[] fields = expression.trim().split("\\s+");
    try {
      return (fields.length == 6 ? SIX_FIELDS : UNIX).parse(expression).validate();
    } catch (IllegalArgumentException e) {
      String reason = String.valueOf(e.getMessage());
      throw invalid(view, schedule, reason.lines().findFirst().orElse(reason));
    }
  }

  private static NqlException invalid(String view, String schedule, String reason) {
    return NqlException.of(
        ErrorCode.INVALID_PARAMETER_VALUE,
        "Cannot create materialized view %s: REFRESH_SCHEDULE '%s' is not a schedule: %s",
        view,
        schedule,
        reason);
  }
}
