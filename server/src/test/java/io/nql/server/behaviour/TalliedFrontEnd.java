package io.nql.server.behaviour;

import io.nql.server.gateway.Gateway;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A front end that counts what its clients saw: statements answered, statements refused, rows read
 * and budget cuts reported. The behaviour suite compares these with what the gateway's {@code
 * /metrics} says happened in the same time.
 */
final class TalliedFrontEnd implements FrontEnd {
  final FrontEnd delegate;
  final AtomicLong answered = new AtomicLong();
  final AtomicLong refused = new AtomicLong();
  final AtomicLong rows = new AtomicLong();
  final AtomicLong budgetCuts = new AtomicLong();

  TalliedFrontEnd(FrontEnd delegate) {
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Gateway gateway() {
    return delegate.gateway();
  }

  @Override
  public boolean reportsWarnings() {
    return delegate.reportsWarnings();
  }

  @Override
  public boolean bindsValuesAsGiven() {
    return delegate.bindsValuesAsGiven();
  }

  @Override
  public Client open(String user, String password, Map<String, String> properties) throws Failure {
    return new TalliedClient(delegate.open(user, password, properties));
  }

  @Override
  public void close() throws Exception {
    delegate.close();
  }

  private Answer answered(Answer a) {
    answered.incrementAndGet();
    rows.addAndGet(a.rows().size());
    if (a.warnings().stream().anyMatch(w -> w.getKey().equals("01N01"))) {
      budgetCuts.incrementAndGet();
    }
    return a;
  }

  private Failure refused(Failure f) {
    refused.incrementAndGet();
    return f;
  }

  private final class TalliedClient implements Client {
    private final Client client;

    TalliedClient(Client client) {
      this.client = client;
    }

    @Override
    public Answer query(String sql) throws Failure {
      try {
        return answered(client.query(sql));
      } catch (Failure f) {
        throw refused(f);
      }
    }

    @Override
    public Prepared prepare(String sql) throws Failure {
      Prepared p = client.prepare(sql);
      return new Prepared() {
        @Override
        public List<String> columns() throws Failure {
          return p.columns();
        }

        @Override
        public Answer execute(List<Object> parameters) throws Failure {
          try {
            return answered(p.execute(parameters));
          } catch (Failure f) {
            throw refused(f);
          }
        }

        @Override
        public void close() throws Failure {
          p.close();
        }
      };
    }

    @Override
    public long update(String sql) throws Failure {
      try {
        long n = client.update(sql);
        answered.incrementAndGet();
        return n;
      } catch (Failure f) {
        throw refused(f);
      }
    }

    @Override
    public List<String> tables(String schema) throws Failure {
      return client.tables(schema);
    }

    @Override
    public List<String> columns(String schema, String table) throws Failure {
      return client.columns(schema, table);
    }

    @Override
    public void close() throws Failure {
      client.close();
    }
  }
}
