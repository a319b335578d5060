package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/** Opens a UTF-8 text file (optionally gzip-compressed) with a byte counter and no BOM. */
final class TextInput {
  final CountingInputStream counter;
  final BufferedReader reader;
  final long totalBytes;

  private TextInput(CountingInputStream counter, BufferedReader reader, long totalBytes) {
    this.counter = counter;
    this.reader = reader;
    this.totalBytes = totalBytes;
  }

  static TextInput open(Path file) {
    try {
      long size = Files.size(file);
      CountingInputStream counter = new CountingInputStream(Files.newInputStream(file));
      InputStream in = new BufferedInputStream(counter, 1 << 16);
      if (CopyOptions.isGzip(file)) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(
                  in,
                  StandardCharsets.UTF_8
                      .newDecoder()
                      .onMalformedInput(CodingErrorAction.REPORT)
                      .onUnmappableCharacter(CodingErrorAction.REPORT)),
              1 << 16);
      reader.mark(1);
      if (reader.read() != '\uFEFF') {
        reader.reset();
      }
      return new TextInput(counter, reader, size);
    } catch (IOException e) {
      throw readError(file, e);
    }
  }

  static NqlException readError(Path file, IOException e) {
    if (e instanceof java.nio.charset.CharacterCodingException) {
      return new NqlException(
          ErrorCode.BAD_COPY_FILE_FORMAT,
          String.format(
              Locale.ROOT, "Cannot load '%s': the file is not UTF-8 text", file.getFileName()),
          e);
    }
    if (e instanceof java.util.zip.ZipException) {
      return new NqlException(
          ErrorCode.BAD_COPY_FILE_FORMAT,
          String.format(
              Locale.ROOT, "Cannot load '%s': the file is not valid gzip", file.getFileName()),
          e);
    }
    return new NqlException(
        ErrorCode.IO_ERROR,
        String.format(Locale.ROOT, "Cannot load '%s': read error", file.getFileName()),
        e);
  }
}
