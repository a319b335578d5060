package io.nql.planner.plane;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The kinds of data plane the gateway can push scans down to. */
public enum DataPlaneType {
  /** A PostgreSQL database reached over JDBC with a URL, a user and a password. */
  POSTGRES;

  /** The type named {@code name} (any case). */
  public static Optional<DataPlaneType> of(String name) {
    return Arrays.stream(values()).filter(t -> t.name().equalsIgnoreCase(name)).findFirst();
  }

  /** The names of every type, for messages. */
  public static String names() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }
}
