package io.nql.server.cli;

import picocli.CommandLine;

/** Reports the version from the jar manifest, or the development version. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {"NQL Gateway " + (v == null ? "0.1.0-SNAPSHOT" : v)};
  }
}
