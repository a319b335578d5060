package io.nql.server.cli;

import java.io.PrintWriter;

/** Messages printed once, on a warehouse's first start. */
final class Banner {
  private Banner() {}

  static void adminPassword(PrintWriter err, String password) {
    err.println("Created the bootstrap administrator. This password is shown only once:");
    err.println("  user: admin");
    err.println("  password: " + password);
    err.println("(set NQL_ADMIN_PASSWORD before the first start to choose it yourself)");
    err.flush();
  }
}
