package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.vector.VectorExecution;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * The session properties, one registry for every front end: their wire name (a JDBC connection
 * property, a Flight call header), type, default, description and validation. {@link
 * NqlSession#setProperty} accepts exactly these; the driver's list of connection properties and
 * docs/clients/jdbc.md are checked against this one by tests.
 */
public enum SessionProperty {
  /** The session default budget, for statements without a budget clause. */
  BUDGET_USD(
      "budget_usd",
      Type.DECIMAL,
      "Session default budget in USD for statements without a budget clause (default 0: free"
          + " data only)") {
    @Override
    public String defaultValue() {
      return "0";
    }

    @Override
    public String validate(String value) {
      try {
        if (new BigDecimal(value).signum() < 0) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new NqlException(
            ErrorCode.INVALID_PARAMETER_VALUE,
            "Cannot set " + key() + " to '" + value + "': expected an amount ≥ 0 in USD");
      }
      return value;
    }
  },

  /** NQL strict mode; only {@code true} is supported. */
  STRICT(
      "strict",
      Type.BOOLEAN,
      "NQL strict mode: every table reference must be schema-qualified (default true)") {
    @Override
    public String defaultValue() {
      return "true";
    }

    @Override
    public String validate(String value) {
      if (!value.equalsIgnoreCase("true")) {
        throw new NqlException(
            ErrorCode.NOT_SUPPORTED,
            "Cannot set " + key() + " to '" + value + "': only strict mode (true) is supported");
      }
      return "true";
    }
  },

  /** Whether statements may run on the vectorized Arrow path. */
  VECTOR_EXECUTION(
      "vector_execution",
      Type.BOOLEAN,
      "Run scan-filter-project queries on the vectorized Arrow path (default true; false runs"
          + " every statement on the row engine)") {
    /** The engine-wide setting, read when a session opens. */
    @Override
    public String defaultValue() {
      return String.valueOf(VectorExecution.enabledByDefault());
    }

    @Override
    public String validate(String value) {
      return bool(this, value);
    }
  },

  /** Whether the row engine runs inner equi-joins without compiling them. */
  INTERPRETED_JOINS(
      "interpreted_joins",
      Type.BOOLEAN,
      "Run inner equi-joins of the row engine without generating code for them (default true;"
          + " false compiles each statement's plan as one class)") {
    @Override
    public String defaultValue() {
      return "true";
    }

    @Override
    public String validate(String value) {
      return bool(this, value);
    }
  };

  /** A boolean property's value, normalized. */
  private static String bool(SessionProperty p, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new NqlException(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot set " + p.key() + " to '" + value + "': expected true or false");
    }
    return v;
  }

  /** The type of a property's values. */
  public enum Type {
    /** A decimal number, as text. */
    DECIMAL,
    /** {@code true} or {@code false}. */
    BOOLEAN
  }

  private final String key;
  private final Type type;
  private final String description;

  SessionProperty(String key, Type type, String description) {
    this.key = key;
    this.type = type;
    this.description = description;
  }

  /** The property's name on every front end, e.g. {@code budget_usd}. */
  public String key() {
    return key;
  }

  /** The type of its values. */
  public Type type() {
    return type;
  }

  /** One sentence for users, as the JDBC driver describes the property. */
  public String description() {
    return description;
  }

  /** The values a client may choose from; empty when the value is free (a number). */
  public List<String> choices() {
    return type == Type.BOOLEAN ? List.of("true", "false") : List.of();
  }

  /** The value of a new session. */
  public abstract String defaultValue();

  /**
   * Checks a value for this property.
   *
   * @param value the value a client gave
   * @return the value the session keeps (normalized)
   * @throws NqlException when the value is refused (SQLSTATE 22023, or 0A000 when not supported)
   */
  public abstract String validate(String value);

  /**
   * The property of a name.
   *
   * @throws NqlException (SQLSTATE 22023) when no property has that name
   */
  public static SessionProperty of(String key) {
    for (SessionProperty p : values()) {
      if (p.key.equals(key)) {
        return p;
      }
    }
    throw new NqlException(
        ErrorCode.INVALID_PARAMETER_VALUE,
        "Cannot set session property '" + key + "': unknown property");
  }
}
