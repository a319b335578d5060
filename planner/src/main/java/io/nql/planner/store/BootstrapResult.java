package io.nql.planner.store;

/**
 * The outcome of {@link MetadataStore#bootstrapAdmin(String)}.
 *
 * @param created true when this call created the admin user; false when an admin already existed
 * @param userName the admin user's name
 * @param generatedPassword the generated password to print once, or null when the caller gave the
 *     password or the admin already existed
 */
public record BootstrapResult(boolean created, String userName, String generatedPassword) {
  /** True when the caller must show {@link #generatedPassword()} to the operator. */
  public boolean passwordWasGenerated() {
    return generatedPassword != null;
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "BootstrapResult[created="
        + created
        + ", userName="
        + userName
        + ", passwordWasGenerated="
        + passwordWasGenerated()
        + "]";
  }
}
