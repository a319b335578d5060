package io.nql.planner.policy.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a world's files are put for {@code COPY INTO}: the one place that knows the ingest-root
 * layout, {@code <root>/<company slug>/<file>} (valid whether roots are shared or per company).
 */
final class Staging {
  private Staging() {}

  /**
   * Writes {@code content} for {@code companySlug} below {@code ingestRoot}.
   *
   * @return the path as a {@code COPY INTO} statement names it
   */
  static String stage(Path ingestRoot, String companySlug, String fileName, String content) {
    try {
      Path dir = Files.createDirectories(ingestRoot.resolve(companySlug));
      Path file = dir.resolve(fileName);
      Files.writeString(file, content);
      return file.toAbsolutePath().toString().replace("'", "''");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
