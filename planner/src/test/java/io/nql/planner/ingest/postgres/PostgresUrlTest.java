package io.nql.planner.ingest.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Which URLs a secret may hold, what the driver is then given, and which hosts an operator's list
 * allows.
 */
class PostgresUrlTest {

  @Test
  void aUrlIsReadIntoHostPortDatabaseAndAllowedParameters() {
    PostgresUrl u =
        PostgresUrl.parse(
            "jdbc:postgresql://DB.Example.com:6432/sales%20eu?sslmode=verify-full&connectTimeout=5");
    assertThat(u.host()).isEqualTo("db.example.com");
    assertThat(u.port()).isEqualTo(6432);
    assertThat(u.database()).isEqualTo("sales eu");
    assertThat(u.parameters()).isEqualTo(Map.of("sslmode", "verify-full", "connectTimeout", "5"));
    assertThat(u.driverUrl()).isEqualTo("jdbc:postgresql://db.example.com:6432/sales+eu");
    assertThat(PostgresUrl.parse("jdbc:postgresql://[::1]/d").hostAndPort())
        .isEqualTo("[::1]:5432");
  }

  @Test
  void theDriverGetsCredentialsAndSafeSettingsThatNoUrlChanges() {
    Properties p =
        PostgresUrl.parse("jdbc:postgresql://h/d?ApplicationName=x&socketTimeout=30")
            .driverProperties("u", "pw");
    assertThat(p.getProperty("user")).isEqualTo("u");
    assertThat(p.getProperty("password")).isEqualTo("pw");
    assertThat(p.getProperty("socketTimeout")).isEqualTo("30");
    assertThat(p.getProperty("preferQueryMode")).isEqualTo("extended");
    assertThat(p.getProperty("readOnly")).isEqualTo("true");
    assertThat(p.getProperty("requireAuth")).doesNotContain("gss", "sspi");
    assertThat(p.stringPropertyNames())
        .doesNotContain("socketFactory", "sslfactory", "loggerFile", "options", "replication");
  }

  @Test
  void everythingButOneHostTheDatabaseAndHarmlessParametersIsRefused() {
    for (String url :
        List.of(
            "postgresql://h/d",
            "jdbc:postgresql:d",
            "jdbc:postgresql://h",
            "jdbc:postgresql://h/",
            "jdbc:postgresql://u:p@h/d",
            "jdbc:postgresql://h1,h2/d",
            "jdbc:postgresql://h:0/d",
            "jdbc:postgresql://h:99999/d",
            "jdbc:postgresql://h:x/d",
            "jdbc:postgresql://h!/d",
            "jdbc:postgresql://h/d%00",
            "jdbc:postgresql://h/d?sslmode=bogus",
            "jdbc:postgresql://h/d?connectTimeout=-1",
            "jdbc:postgresql://h/d?sslmode=require&sslmode=disable",
            "jdbc:postgresql://h/d?%zz")) {
      assertThatThrownBy(() -> PostgresUrl.parse(url))
          .as(url)
          .isInstanceOf(IllegalArgumentException.class);
    }
    for (String parameter :
        List.of(
            "socketFactory",
            "socketFactoryArg",
            "sslfactory",
            "sslfactoryarg",
            "sslhostnameverifier",
            "sslpasswordcallback",
            "authenticationPluginClassName",
            "xmlFactoryFactory",
            "connectExecutor",
            "loggerFile",
            "loggerLevel",
            "sslcert",
            "sslkey",
            "sslrootcert",
            "service",
            "jaasLogin",
            "gsslib",
            "options",
            "preferQueryMode",
            "replication",
            "localSocketAddress",
            "user",
            "password")) {
      assertThatThrownBy(() -> PostgresUrl.parse("jdbc:postgresql://h/d?" + parameter + "=s3cr3t"))
          .as(parameter)
          .hasMessageStartingWith("URL parameter '" + parameter + "' is not allowed")
          .hasMessageNotContaining("s3cr3t");
    }
  }

  @Test
  void theHostListAllowsWhatItNamesOnly() {
    PostgresHosts hosts =
        PostgresHosts.of(List.of("db.internal", "LOCALHOST:6543", "[::1]:*", " "));
    assertThat(hosts.allows("db.internal", 5432)).isTrue();
    assertThat(hosts.allows("db.internal", 5433)).isFalse();
    assertThat(hosts.allows("localhost", 6543)).isTrue();
    assertThat(hosts.allows("localhost", 5432)).isFalse();
    assertThat(hosts.allows("127.0.0.1", 6543)).isFalse();
    assertThat(hosts.allows("[::1]", 1)).isTrue();
    assertThat(hosts.allows("other", 5432)).isFalse();
    assertThat(PostgresHosts.of(List.of("*:5432")).allows("anything", 5432)).isTrue();
    assertThat(PostgresHosts.of(List.of("*:5432")).allows("anything", 22)).isFalse();
    assertThat(PostgresHosts.of(List.of("*")).allows("anything", 22)).isTrue();
    assertThat(PostgresHosts.of(List.of()).isEmpty()).isTrue();
    assertThat(PostgresHosts.none().allows("localhost", 5432)).isFalse();
    for (String bad : List.of("h:0", "h:x", "h/x", "a b")) {
      assertThatThrownBy(() -> PostgresHosts.of(List.of(bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aTableNameIsQuotedPartByPart() {
    assertThat(PostgresImport.quoted(List.of("s\"x", "t; DROP TABLE y; --")))
        .isEqualTo("\"s\"\"x\".\"t; DROP TABLE y; --\"");
  }

  @Test
  void onlyQueriesStartAsQueries() {
    for (String q :
        List.of(
            "SELECT 1",
            " (select 1)",
            "/* c */ -- d\n WITH x AS (SELECT 1) SELECT 1",
            "VALUES (1)",
            "table t")) {
      assertThat(PostgresImport.isQuery(q)).as(q).isTrue();
    }
    for (String q : List.of("DELETE FROM t", "COMMIT", "/* SELECT */ CALL p()", "", "-- SELECT")) {
      assertThat(PostgresImport.isQuery(q)).as(q).isFalse();
    }
  }
}
