package io.nql.planner.maintenance;

import io.nql.planner.result.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;

/**
 * Orphan-file removal of one table: deletes the files under the table's directory that neither its
 * metadata nor any of its snapshots references (left by a write that failed or was killed before it
 * committed, or by an expiry that stopped half-way) and that are older than a safety age, so that
 * the files a running load or write has written but not committed yet are never deleted.
 *
 * <p>The references are read before the directory is listed: a file committed after that is either
 * younger than the safety age or was referenced already. Only regular files are considered; a
 * symbolic link is neither followed nor deleted, and nothing outside the table's directory (as the
 * file system resolves it) is touched. Tables that are not on the local file system are left alone.
 */
public final class OrphanFiles {
  /**
   * What a removal did.
   *
   * @param filesDeleted unreferenced files deleted
   * @param bytesFreed their size
   */
  public record Result(long filesDeleted, long bytesFreed) {
    public static final Result NONE = new Result(0, 0);
  }

  private OrphanFiles() {}

  /**
   * Deletes the files under {@code table}'s location that nothing references and that were last
   * modified before {@code olderThan}.
   *
   * @param progress files examined of the files found
   */
  public static Result remove(Table table, Instant olderThan, ProgressListener progress) {
    table.refresh();
    Path root = localPath(table.location());
    if (root == null || !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return Result.NONE;
    }
    Set<Path> referenced = referenced(table);
    List<Path> candidates = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    try {
      Path real = root.toRealPath();
      Files.walkFileTree(
          real,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile()
                  && attrs.lastModifiedTime().toInstant().isBefore(olderThan)
                  && !referenced.contains(file.toAbsolutePath().normalize())) {
                candidates.add(file);
                sizes.add(attrs.size());
              }
              return FileVisitResult.CONTINUE;
            }
          });
      // the directory's real path may differ from the one metadata names (a link above it)
      if (!real.equals(root)) {
        candidates.removeIf(f -> referenced.contains(root.resolve(real.relativize(f))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long files = 0;
    long bytes = 0;
    for (int i = 0; i < candidates.size(); i++) {
      try {
        if (Files.deleteIfExists(candidates.get(i))) {
          files++;
          bytes += sizes.get(i);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if ((i & 255) == 255) {
        progress.progress(i + 1, candidates.size());
      }
    }
    progress.progress(candidates.size(), candidates.size());
    return new Result(files, bytes);
  }

  /** Every file the table's metadata and its snapshots reference, as absolute local paths. */
  static Set<Path> referenced(Table table) {
    Set<String> locations = new HashSet<>();
    FileIO io = table.io();
    for (Snapshot s : table.snapshots()) {
      locations.add(s.manifestListLocation());
      for (ManifestFile m : s.allManifests(io)) {
        if (!locations.add(m.path())) {
          continue; // a manifest shared by snapshots: its files are in already
        }
        try (CloseableIterable<? extends ContentFile<?>> entries = entries(table, m)) {
          for (ContentFile<?> f : entries) {
            locations.add(f.location());
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    for (StatisticsFile f : table.statisticsFiles()) {
      locations.add(f.path());
    }
    for (PartitionStatisticsFile f : table.partitionStatisticsFiles()) {
      locations.add(f.path());
    }
    if (table instanceof HasTableOperations ops) {
      TableMetadata meta = ops.operations().current();
      locations.add(meta.metadataFileLocation());
      meta.previousFiles().forEach(e -> locations.add(e.file()));
    }
    Set<Path> out = new HashSet<>();
    for (String l : locations) {
      Path p = localPath(l);
      if (p != null) {
        out.add(p);
      }
    }
    // A Hadoop-style table's pointer to its current metadata.
    Path root = localPath(table.location());
    if (root != null) {
      out.add(root.resolve("metadata").resolve("version-hint.text"));
    }
    return out;
  }

  private static CloseableIterable<? extends ContentFile<?>> entries(Table table, ManifestFile m) {
    if (m.content() == ManifestContent.DATA) {
      return ManifestFiles.read(m, table.io(), table.specs());
    }
    return ManifestFiles.readDeleteManifest(m, table.io(), table.specs());
  }

  /** A location as an absolute local path; null when it is not on the local file system. */
  static Path localPath(String location) {
    if (location == null) {
      return null;
    }
    if (location.startsWith("/")) {
      return Path.of(location).toAbsolutePath().normalize();
    }
    URI uri = URI.create(location);
    if (!"file".equals(uri.getScheme())) {
      return null;
    }
    return Path.of(uri).toAbsolutePath().normalize();
  }
}
