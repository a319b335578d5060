package io.nql.planner.forecast;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.GenericBlobMetadata;
import org.apache.iceberg.GenericStatisticsFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.puffin.Blob;
import org.apache.iceberg.puffin.BlobMetadata;
import org.apache.iceberg.puffin.Puffin;
import org.apache.iceberg.puffin.PuffinReader;
import org.apache.iceberg.puffin.PuffinWriter;
import org.apache.iceberg.puffin.StandardBlobTypes;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.Pair;

/**
 * Profiles kept as Iceberg statistics: one Puffin file per analyzed snapshot of a dataset, set on
 * the table's metadata ({@code statistics} of the snapshot), holding
 *
 * <ul>
 *   <li>per column of the dataset, an {@code apache-datasketches-theta-v1} blob with its {@code
 *       ndv} property (what other engines read from Iceberg statistics);
 *   <li>a {@code nql-profile-v1} blob for the dataset, and one per access rule version over it
 *       (properties {@code nql.source}: {@code dataset} or {@code rule-<id>-v<version>}).
 * </ul>
 *
 * Reading never opens a data file. Parsed files are cached by path (a path's content never changes:
 * a new analysis writes a new file).
 */
public final class ProfileStore {
  static final String PROFILE_BLOB = "nql-profile-v1";
  static final String SOURCE_PROPERTY = "nql.source";

  /** The source key of a dataset's own profile. */
  public static final String DATASET = "dataset";

  private final Cache<String, Map<String, Profile>> files =
      Caffeine.newBuilder().maximumSize(256).build();

  private static final int FORMAT = 2;

  /** The source key of an access rule version. */
  public static String ruleKey(long ruleId, int version) {
    return "rule-" + ruleId + "-v" + version;
  }

  /** A profile found for a source, and the snapshot whose statistics hold it. */
  public record Found(Profile profile, long statisticsSnapshotId, boolean current) {}

  /**
   * The newest profile of {@code source} at or before the table's current snapshot (following the
   * snapshot's ancestors), if any.
   */
  public Optional<Found> find(Table table, String source) {
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return Optional.empty();
    }
    Map<Long, StatisticsFile> bySnapshot = new HashMap<>();
    for (StatisticsFile f : table.statisticsFiles()) {
      bySnapshot.put(f.snapshotId(), f);
    }
    if (bySnapshot.isEmpty()) {
      return Optional.empty();
    }
    for (Snapshot s = current; s != null; s = parent(table, s)) {
      StatisticsFile f = bySnapshot.get(s.snapshotId());
      if (f != null) {
        Profile p = read(table, f).get(source);
        if (p != null) {
          return Optional.of(new Found(p, s.snapshotId(), s == current));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The stored statistics state of {@code source} at exactly {@code snapshotId} (to merge the rows
   * of a later append into), if any. Not cached: read on writes only.
   */
  public Optional<Profiler> state(Table table, long snapshotId, String source) {
    for (StatisticsFile f : table.statisticsFiles()) {
      if (f.snapshotId() == snapshotId) {
        byte[] blob = readBlobs(table, f).get(source);
        return blob == null ? Optional.empty() : Optional.of(decode(blob).state());
      }
    }
    return Optional.empty();
  }

  private static Snapshot parent(Table table, Snapshot s) {
    Long parent = s.parentId();
    return parent == null ? null : table.snapshot(parent);
  }

  /**
   * Stores profiles for {@code snapshot}, keeping the profiles of other sources already stored for
   * it, and removing those of {@code dropped} sources. A profile whose rows have the same
   * fingerprint as the source's previous profile keeps that profile's change time.
   *
   * @param datasetColumns the dataset's columns, for the theta blobs (with the dataset's profile)
   */
  public synchronized void put(
      Table table,
      Snapshot snapshot,
      Map<String, Profiler> profiles,
      List<String> dropped,
      List<Types.NestedField> datasetColumns) {
    table.refresh();
    Map<String, byte[]> merged = new LinkedHashMap<>();
    StatisticsFile existing = null;
    for (StatisticsFile f : table.statisticsFiles()) {
      if (f.snapshotId() == snapshot.snapshotId()) {
        existing = f;
        merged.putAll(readBlobs(table, f));
      }
    }
    for (String d : dropped) {
      merged.remove(d);
    }
    Map<String, Profile> derived = new LinkedHashMap<>();
    for (Map.Entry<String, Profiler> e : profiles.entrySet()) {
      Profile p = e.getValue().finish(snapshot.snapshotId(), snapshot.timestampMillis());
      Optional<Found> previous = find(table, e.getKey());
      if (previous.isPresent()
          && previous.get().profile().fingerprint() == p.fingerprint()
          && previous.get().profile().rows() == p.rows()) {
        p = p.changedAt(previous.get().profile().changedMillis());
      }
      derived.put(e.getKey(), p);
      merged.put(e.getKey(), encode(e.getValue(), p));
    }
    String path =
        table.location()
            + "/metadata/nql-stats-"
            + snapshot.snapshotId()
            + "-"
            + UUID.randomUUID()
            + ".stats";
    StatisticsFile file =
        write(table, snapshot, path, merged, derived.get(DATASET), datasetColumns);
    table.updateStatistics().setStatistics(file).commit();
    if (existing != null && !existing.path().equals(path)) {
      files.invalidate(existing.path());
      try {
        table.io().deleteFile(existing.path());
      } catch (RuntimeException ignored) {
        // an unreferenced statistics file is harmless; table maintenance removes orphans
      }
    }
  }

  private static StatisticsFile write(
      Table table,
      Snapshot snapshot,
      String path,
      Map<String, byte[]> profiles,
      Profile dataset,
      List<Types.NestedField> datasetColumns) {
    long snapshotId = snapshot.snapshotId();
    long sequence = snapshot.sequenceNumber();
    try (PuffinWriter writer =
        Puffin.write(table.io().newOutputFile(path)).createdBy("NQL Gateway").build()) {
      if (dataset != null) {
        for (Types.NestedField f : datasetColumns) {
          int c = dataset.column(f.name());
          if (c < 0) {
            continue;
          }
          ColumnProfile col = dataset.columns().get(c);
          writer.write(
              new Blob(
                  StandardBlobTypes.APACHE_DATASKETCHES_THETA_V1,
                  List.of(f.fieldId()),
                  snapshotId,
                  sequence,
                  ByteBuffer.wrap(col.theta()),
                  null,
                  Map.of("ndv", Long.toString(Math.round(col.ndv())))));
        }
      }
      for (Map.Entry<String, byte[]> e : profiles.entrySet()) {
        writer.write(
            new Blob(
                PROFILE_BLOB,
                List.of(),
                snapshotId,
                sequence,
                ByteBuffer.wrap(e.getValue()),
                null,
                Map.of(SOURCE_PROPERTY, e.getKey())));
      }
      writer.finish();
      List<org.apache.iceberg.BlobMetadata> blobs = new ArrayList<>();
      for (BlobMetadata m : writer.writtenBlobsMetadata()) {
        blobs.add(GenericBlobMetadata.from(m));
      }
      return new GenericStatisticsFile(
          snapshotId, path, writer.fileSize(), writer.footerSize(), blobs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, Profile> read(Table table, StatisticsFile f) {
    return files.get(
        f.path(),
        path -> {
          Map<String, Profile> out = new HashMap<>();
          for (Map.Entry<String, byte[]> e : readBlobs(table, f).entrySet()) {
            out.put(e.getKey(), decode(e.getValue()).profile());
          }
          return out;
        });
  }

  /** A stored blob: its statistics state and the derived profile. */
  private record Decoded(Profiler state, Profile profile) {}

  private static byte[] encode(Profiler state, Profile p) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(FORMAT);
      out.writeLong(p.snapshotId());
      out.writeLong(p.snapshotMillis());
      out.writeLong(p.changedMillis());
      out.write(state.state());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static Decoded decode(byte[] blob) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(blob))) {
      if (in.readInt() != FORMAT) {
        throw new IOException("unknown statistics format");
      }
      long snapshotId = in.readLong();
      long snapshotMillis = in.readLong();
      long changedMillis = in.readLong();
      Profiler state = Profiler.fromState(in.readAllBytes());
      return new Decoded(state, state.finish(snapshotId, snapshotMillis).changedAt(changedMillis));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, byte[]> readBlobs(Table table, StatisticsFile f) {
    Map<String, byte[]> out = new HashMap<>();
    try (PuffinReader reader =
        Puffin.read(table.io().newInputFile(f.path()))
            .withFileSize(f.fileSizeInBytes())
            .withFooterSize(f.fileFooterSizeInBytes())
            .build()) {
      List<BlobMetadata> wanted = new ArrayList<>();
      for (BlobMetadata m : reader.fileMetadata().blobs()) {
        if (PROFILE_BLOB.equals(m.type()) && m.properties().containsKey(SOURCE_PROPERTY)) {
          wanted.add(m);
        }
      }
      for (Pair<BlobMetadata, ByteBuffer> blob : reader.readAll(wanted)) {
        ByteBuffer b = blob.second();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        out.put(blob.first().properties().get(SOURCE_PROPERTY), bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
