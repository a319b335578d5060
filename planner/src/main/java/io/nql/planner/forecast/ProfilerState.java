package io.nql.planner.forecast;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.theta.Sketch;

/**
 * The stored form of a {@link Profiler}: its sketches in their own serialized forms (theta,
 * frequent items, KLL) and its sample with raw values, so that statistics of a later append can be
 * merged into it.
 */
final class ProfilerState {
  private ProfilerState() {}

  private static final int STATE_FORMAT = 1;

  /** The state of {@code p}. */
  static byte[] write(Profiler p) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(STATE_FORMAT);
      out.writeInt(p.names.length);
      for (int i = 0; i < p.names.length; i++) {
        out.writeUTF(p.names[i]);
        out.writeByte(p.kinds[i].ordinal());
      }
      out.writeLong(p.rows);
      out.writeLong(p.fingerprint);
      for (int i = 0; i < p.names.length; i++) {
        out.writeLong(p.nulls[i]);
        out.writeDouble(p.min[i]);
        out.writeDouble(p.max[i]);
        writeNullable(out, p.minString[i]);
        writeNullable(out, p.maxString[i]);
        writeBytes(out, p.thetas[i].getResult().toByteArray());
        writeBytes(out, p.frequent[i].toByteArray(new ArrayOfStringsSerDe()));
        writeBytes(out, p.quantiles[i] == null ? new byte[0] : p.quantiles[i].toByteArray());
      }
      out.writeInt(p.sample.size());
      for (Map.Entry<Long, Profiler.Sampled> e : p.sample.entrySet()) {
        out.writeLong(e.getKey());
        out.writeLong(e.getValue().weight);
        for (Object v : e.getValue().values) {
          writeNullable(out, v);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The profiler a stored state describes. */
  static Profiler read(byte[] state) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
      if (in.readInt() != STATE_FORMAT) {
        throw new IOException("unknown statistics state format");
      }
      int n = in.readInt();
      String[] names = new String[n];
      Values.Kind[] kinds = new Values.Kind[n];
      for (int i = 0; i < n; i++) {
        names[i] = in.readUTF();
        kinds[i] = Values.Kind.values()[in.readByte()];
      }
      Profiler p = new Profiler(names, kinds);
      p.rows = in.readLong();
      p.fingerprint = in.readLong();
      for (int i = 0; i < n; i++) {
        p.nulls[i] = in.readLong();
        p.min[i] = in.readDouble();
        p.max[i] = in.readDouble();
        p.minString[i] = (String) readNullable(in);
        p.maxString[i] = (String) readNullable(in);
        p.thetas[i].union(Sketch.heapify(Memory.wrap(readBytes(in))));
        p.frequent[i] =
            ItemsSketch.getInstance(Memory.wrap(readBytes(in)), new ArrayOfStringsSerDe());
        byte[] kll = readBytes(in);
        if (p.quantiles[i] != null && kll.length > 0) {
          p.quantiles[i] = KllDoublesSketch.heapify(Memory.wrap(kll));
        }
      }
      int size = in.readInt();
      for (int r = 0; r < size; r++) {
        long hash = in.readLong();
        long weight = in.readLong();
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
          values[i] = readNullable(in);
        }
        Profiler.Sampled s = new Profiler.Sampled(values);
        s.weight = weight;
        p.sample.put(hash, s);
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeNullable(DataOutputStream out, Object v) throws IOException {
    if (v == null) {
      out.writeByte(3);
    } else {
      ColumnProfile.writeValue(out, v);
    }
  }

  private static Object readNullable(DataInputStream in) throws IOException {
    byte tag = in.readByte();
    return tag == 3 ? null : ColumnProfile.readValue(in, tag);
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }
}
