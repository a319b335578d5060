package io.nql.server.gateway;

import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.Request;

/**
 * Counts the response bytes the JDBC endpoint sends, for the metrics: a listener of every HTTP
 * exchange on its connector, adding each response's body when the exchange completes (then every
 * byte of it has been written; before TLS).
 */
final class JdbcTraffic implements HttpChannel.Listener {
  private final LongAdder bytesSent = new LongAdder();

  @Override
  public void onComplete(Request request) {
    bytesSent.add(request.getHttpChannel().getBytesWritten());
  }

  /** Response bytes sent since the endpoint started. */
  long bytesSent() {
    return bytesSent.sum();
  }
}
