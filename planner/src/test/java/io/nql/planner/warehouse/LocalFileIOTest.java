package io.nql.planner.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileIOTest {
  @TempDir Path dir;
  private final LocalFileIO io = new LocalFileIO();

  @Test
  void writesCreatingParentsAndReadsWithSeek() throws IOException {
    String location = dir.resolve("a/b/file.bin").toString();
    OutputFile out = io.newOutputFile(location);
    try (PositionOutputStream stream = out.create()) {
      stream.write("hello ".getBytes(StandardCharsets.UTF_8));
      stream.write('w');
      stream.write("orld".getBytes(StandardCharsets.UTF_8), 0, 4);
      assertThat(stream.getPos()).isEqualTo(11);
    }

    InputFile in = io.newInputFile(location);
    assertThat(in.exists()).isTrue();
    assertThat(in.getLength()).isEqualTo(11);
    try (SeekableInputStream stream = in.newStream()) {
      stream.seek(6);
      assertThat(stream.getPos()).isEqualTo(6);
      assertThat(new String(stream.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("world");
      stream.seek(0);
      assertThat(stream.read()).isEqualTo('h');
      assertThat(stream.skip(100)).isEqualTo(10);
      assertThat(stream.read()).isEqualTo(-1);
    }
    assertThat(io.newInputFile(location, 11).getLength()).isEqualTo(11);
  }

  @Test
  void acceptsFileUris() throws IOException {
    Path file = dir.resolve("x.txt");
    Files.writeString(file, "abc");
    String uri = file.toUri().toString();
    assertThat(uri).startsWith("file:///");
    assertThat(io.newInputFile(uri).getLength()).isEqualTo(3);
    assertThat(io.newInputFile("file:" + file).getLength()).isEqualTo(3);
    assertThatThrownBy(() -> io.newInputFile("s3://bucket/x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> io.newInputFile("relative/x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void createRefusesExistingFileAndCreateOrOverwriteReplacesIt() throws IOException {
    Path file = dir.resolve("f");
    Files.writeString(file, "old content");
    OutputFile out = io.newOutputFile(file.toString());
    assertThatThrownBy(out::create).isInstanceOf(AlreadyExistsException.class);
    try (PositionOutputStream stream = out.createOrOverwrite()) {
      stream.write('n');
    }
    assertThat(Files.readString(file)).isEqualTo("n");
    assertThat(out.toInputFile().getLength()).isEqualTo(1);
  }

  @Test
  void deletesListsAndReportsMissingFiles() throws IOException {
    Path file = dir.resolve("t/data/one");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "1");
    Files.writeString(dir.resolve("t/two"), "22");

    assertThat(io.listPrefix(dir.resolve("t").toString()))
        .extracting(FileInfo::size)
        .containsExactlyInAnyOrder(1L, 2L);
    io.deleteFile(file.toUri().toString());
    assertThat(file).doesNotExist();
    io.deleteFile(file.toString());

    InputFile missing = io.newInputFile(file.toString());
    assertThat(missing.exists()).isFalse();
    assertThatThrownBy(missing::getLength).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(missing::newStream).isInstanceOf(NotFoundException.class);

    io.deletePrefix(dir.resolve("t").toString());
    assertThat(dir.resolve("t")).doesNotExist();
  }
}
