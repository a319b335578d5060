package io.nql.planner.parser;

/** Which companies an access rule is shared with ({@code SHARE WITH ...}). */
public enum ShareMode {
  /** {@code SHARE WITH ALL}: every company. */
  ALL,
  /** {@code SHARE WITH NONE}: no company but the owner. */
  NONE,
  /** {@code SHARE WITH COMPANIES (a, b)}: only the listed companies. */
  COMPANIES,
  /** {@code SHARE WITH ALL EXCEPT (x)}: every company but the listed ones. */
  ALL_EXCEPT
}
