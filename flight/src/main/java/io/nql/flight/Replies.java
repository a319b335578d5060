package io.nql.flight;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightProducer.StreamListener;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.impl.FlightSql.DoPutUpdateResult;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * How the producer answers calls: a FlightInfo with one ticket, a single result or none on a
 * listener, a DoPut's update count. A failure while computing the answer is reported on the
 * listener as its Flight status ({@link FlightErrors}).
 */
final class Replies {
  private Replies() {}

  /** A protocol message as the bytes of an {@code Any}, as tickets and action results carry it. */
  static byte[] pack(Message m) {
    return Any.pack(m).toByteArray();
  }

  /** A FlightInfo of unknown size with one endpoint, the ticket, served by this endpoint. */
  static FlightInfo flightInfo(Schema schema, FlightDescriptor descriptor, byte[] ticket) {
    return new FlightInfo(
        schema, descriptor, List.of(new FlightEndpoint(new Ticket(ticket))), -1, -1);
  }

  /** Answers with the one value computed, or with the failure. */
  static <T> void one(StreamListener<T> listener, Supplier<T> value) {
    try {
      listener.onNext(value.get());
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(FlightErrors.of(e));
    }
  }

  /** Does the work and answers with no value, or with the failure. */
  static <T> void none(StreamListener<T> listener, Runnable work) {
    try {
      work.run();
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(FlightErrors.of(e));
    }
  }

  /** Acknowledges a DoPut with the update count computed, or with the failure. */
  static void updateCount(
      StreamListener<PutResult> ackStream, BufferAllocator allocator, LongSupplier count) {
    try {
      long n = count.getAsLong();
      byte[] bytes = DoPutUpdateResult.newBuilder().setRecordCount(n).build().toByteArray();
      try (ArrowBuf buf = allocator.buffer(bytes.length)) {
        buf.writeBytes(bytes);
        ackStream.onNext(PutResult.metadata(buf));
      }
      ackStream.onCompleted();
    } catch (RuntimeException e) {
      ackStream.onError(FlightErrors.of(e));
    }
  }
}
