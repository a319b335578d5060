package io.nql.flight;

import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the endpoint sends and streams, for the gateway's metrics: the bytes of every gRPC message
 * it sends (as gRPC reports their wire size), and the result streams running now.
 */
final class Traffic extends ServerStreamTracer.Factory {
  private final LongAdder bytesSent = new LongAdder();
  private final AtomicInteger resultStreams = new AtomicInteger();

  @Override
  public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
    return new ServerStreamTracer() {
      @Override
      public void outboundWireSize(long bytes) {
        bytesSent.add(bytes);
      }
    };
  }

  /** Bytes sent to clients so far. */
  long bytesSent() {
    return bytesSent.sum();
  }

  /** Result streams (DoGet of a statement) running now. */
  int resultStreams() {
    return resultStreams.get();
  }

  void streamStarted() {
    resultStreams.incrementAndGet();
  }

  void streamEnded() {
    resultStreams.decrementAndGet();
  }
}
