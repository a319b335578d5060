package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The self-contained driver jar ({@code driver/target/nql-jdbc-<version>-all.jar}) as a BI tool
 * uses it: loaded alone in its own class loader (parent: the platform loader, so nothing of this
 * test's class path can help), found through {@link ServiceLoader}, connected to a gateway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AllJarDriverIT {
  /** Packages of the driver's dependencies: in the all-jar, only under io/nql/jdbc/shaded/. */
  static final List<String> BUNDLED =
      List.of(
          "org/apache/calcite/avatica/",
          "com/google/protobuf/",
          "com/fasterxml/jackson/",
          "org/apache/hc/",
          "org/slf4j/",
          "org/joou/");

  Path jar;
  Gateway gateway;
  URLClassLoader loader;
  Driver driver;

  static Path allJar() {
    String path = System.getProperty("nql.allJar");
    assertThat(path).as("system property nql.allJar (set by the server pom)").isNotNull();
    Path jar = Path.of(path).toAbsolutePath().normalize();
    assertThat(jar)
        .as("the driver's self-contained jar; build it with: mvn -pl driver package")
        .isRegularFile();
    return jar;
  }

  @BeforeAll
  void start() throws Exception {
    jar = allJar();
    gateway = Gateway.start(TestWarehouse.config().build());
    loader =
        new URLClassLoader(
            "nql-jdbc-all", new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    List<Driver> drivers = new ArrayList<>();
    for (Driver d : ServiceLoader.load(Driver.class, loader)) {
      if (d.getClass().getClassLoader() == loader) {
        drivers.add(d);
      }
    }
    assertThat(drivers).hasSize(1);
    driver = drivers.get(0);
  }

  @AfterAll
  void stop() throws IOException {
    if (gateway != null) {
      gateway.close();
    }
    if (loader != null) {
      loader.close();
    }
  }

  Connection acme() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "acme_user");
    p.setProperty("password", TestWarehouse.ACME_PW);
    return driver.connect("jdbc:nql://127.0.0.1:" + gateway.jdbcPort(), p);
  }

  @Test
  void theDriverComesFromTheJarAlone() throws Exception {
    assertThat(driver.getClass().getName()).isEqualTo("io.nql.jdbc.NqlDriver");
    assertThat(driver.acceptsURL("jdbc:nql://localhost:8765")).isTrue();
    assertThat(driver.getClass().getProtectionDomain().getCodeSource().getLocation().toURI())
        .isEqualTo(jar.toUri());
    // Nothing unrelocated is reachable from the jar's loader.
    assertThatThrownBy(() -> loader.loadClass("org.apache.calcite.avatica.AvaticaConnection"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> loader.loadClass("com.google.protobuf.Message"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void queriesReturnValues() throws Exception {
    try (Connection c = acme();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT order_id, amount, city, paid FROM company_data.orders ORDER BY order_id")) {
      assertThat(c.getClass().getClassLoader()).isSameAs(loader);
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(
            rs.getLong(1)
                + "|"
                + rs.getBigDecimal(2)
                + "|"
                + rs.getString(3)
                + "|"
                + rs.getBoolean(4));
      }
      assertThat(rows)
          .containsExactly("1|10.50|Zürich|true", "2|null|東京|false", "3|99.99|New York, NY|true");
    }
  }

  @Test
  void failingQueriesCarryTheSqlState() throws Exception {
    try (Connection c = acme();
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeQuery("SELECT * FROM globex.purchases"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42P01"));
      assertThatThrownBy(() -> s.executeQuery("SELEC 1"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42601"));
      // The connection is still usable after the errors.
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM company_data.orders")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(3);
      }
    }
  }

  @Test
  void jsonSerializationWorksToo() throws Exception {
    try (Gateway json =
        Gateway.start(TestWarehouse.config().serialization(Serialization.JSON).build())) {
      Properties p = new Properties();
      p.setProperty("user", "acme_user");
      p.setProperty("password", TestWarehouse.ACME_PW);
      p.setProperty("serialization", "json");
      try (Connection c = driver.connect("jdbc:nql://127.0.0.1:" + json.jdbcPort(), p);
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT city FROM company_data.orders WHERE order_id = 2")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("東京");
      }
    }
  }

  @Test
  void wrongPasswordIsRefused() {
    Properties p = new Properties();
    p.setProperty("user", "acme_user");
    p.setProperty("password", "not-the-password");
    assertThatThrownBy(() -> driver.connect("jdbc:nql://127.0.0.1:" + gateway.jdbcPort(), p))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"));
  }

  @Test
  void metadataNamesTheProductAndTheVersionFromTheManifest() throws Exception {
    try (Connection c = acme()) {
      DatabaseMetaData md = c.getMetaData();
      assertThat(md.getDatabaseProductName()).isEqualTo("NQL Gateway");
      assertThat(md.getDriverName()).isEqualTo("NQL JDBC Driver");
      assertThat(md.getDriverVersion()).isEqualTo(System.getProperty("nql.version"));
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = md.getTables(null, null, "%", null)) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"));
        }
      }
      assertThat(tables).contains("company_data.orders").doesNotContain("globex.purchases");
    }
  }

  @Test
  void everyThirdPartyClassIsRelocated() throws IOException {
    try (JarFile jf = new JarFile(jar.toFile())) {
      List<String> names = Collections.list(jf.entries()).stream().map(JarEntry::getName).toList();
      List<String> classes = names.stream().filter(n -> n.endsWith(".class")).toList();
      assertThat(classes).isNotEmpty().allMatch(n -> n.startsWith("io/nql/jdbc/"));
      for (String prefix : BUNDLED) {
        assertThat(names).noneMatch(n -> n.startsWith(prefix));
        assertThat(classes).anyMatch(n -> n.startsWith("io/nql/jdbc/shaded/" + prefix));
      }
      assertThat(names).noneMatch(n -> n.startsWith("org/apache/") || n.startsWith("com/"));
      assertThat(names)
          .noneMatch(n -> n.endsWith("module-info.class"))
          .noneMatch(n -> n.startsWith("META-INF/versions/"))
          .noneMatch(n -> n.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"));

      // java.sql.Driver names our driver only; every other service file is relocated and names
      // classes the jar holds.
      assertThat(read(jf, "META-INF/services/java.sql.Driver").strip())
          .isEqualTo("io.nql.jdbc.NqlDriver");
      for (String n : names) {
        if (n.startsWith("META-INF/services/")
            && !n.endsWith("/")
            && !n.endsWith("java.sql.Driver")) {
          assertThat(n).startsWith("META-INF/services/io.nql.jdbc.shaded.");
          for (String impl : providers(read(jf, n))) {
            assertThat(impl).startsWith("io.nql.jdbc.shaded.");
            assertThat(names).contains(impl.replace('.', '/') + ".class");
          }
        }
      }

      assertThat(jf.getManifest().getMainAttributes().getValue("Implementation-Title"))
          .isEqualTo("NQL JDBC driver");
      assertThat(jf.getManifest().getMainAttributes().getValue("Implementation-Version"))
          .isEqualTo(System.getProperty("nql.version"));
    }
  }

  /** The bundled artifacts (the driver's runtime dependencies) and their licences. */
  static final java.util.Map<String, String> BUNDLED_ARTIFACTS =
      java.util.Map.ofEntries(
          java.util.Map.entry("avatica-core", "Apache"),
          java.util.Map.entry("avatica-metrics", "Apache"),
          java.util.Map.entry("protobuf-java", "BSD"),
          java.util.Map.entry("jackson-annotations", "Apache"),
          java.util.Map.entry("jackson-core", "Apache"),
          java.util.Map.entry("jackson-databind", "Apache"),
          java.util.Map.entry("httpclient5", "Apache"),
          java.util.Map.entry("httpcore5", "Apache"),
          java.util.Map.entry("httpcore5-h2", "Apache"),
          java.util.Map.entry("joou-java-6", "Apache"),
          java.util.Map.entry("slf4j-api", "MIT"),
          java.util.Map.entry("slf4j-jdk14", "MIT"));

  @Test
  void theJarCarriesTheNoticesOfWhatItBundles() throws IOException {
    try (JarFile jf = new JarFile(jar.toFile())) {
      List<String> names = Collections.list(jf.entries()).stream().map(JarEntry::getName).toList();
      // The listing generated at build time names each bundled artifact with its licence, and
      // nothing else.
      String listing = read(jf, "META-INF/nql-jdbc-THIRD-PARTY.txt");
      List<String> listed =
          listing.lines().map(String::strip).filter(l -> l.startsWith("(")).toList();
      assertThat(listed).hasSize(BUNDLED_ARTIFACTS.size());
      for (var e : BUNDLED_ARTIFACTS.entrySet()) {
        assertThat(listed)
            .as(e.getKey())
            .anyMatch(
                l ->
                    l.contains(":" + e.getKey() + ":")
                        && l.substring(0, l.indexOf(')')).contains(e.getValue()));
        // Its own licence text, kept apart from the others'.
        assertThat(names)
            .as("licence of " + e.getKey())
            .anyMatch(
                n ->
                    n.startsWith("META-INF/licenses/" + e.getKey() + "/LICENSE")
                        && !n.endsWith("/"));
      }
      assertThat(read(jf, "META-INF/licenses/avatica-core/LICENSE")).contains("Apache License");
      assertThat(read(jf, "META-INF/licenses/protobuf-java/LICENSE"))
          .contains("Copyright 2008 Google Inc.", "Redistribution and use in source and binary");
      assertThat(read(jf, "META-INF/licenses/slf4j-api/LICENSE.txt"))
          .contains("Permission is hereby granted");
      // The Apache NOTICE files, merged into one.
      assertThat(read(jf, "META-INF/NOTICE"))
          .contains("Apache Calcite", "Apache HttpComponents", "Jackson");
      // No dependency's licence stands at the top as if it were the jar's.
      assertThat(names)
          .doesNotContain("META-INF/LICENSE", "META-INF/LICENSE.txt", "LICENSE", "THIRD-PARTY.txt");
    }
  }

  private static String read(JarFile jf, String name) throws IOException {
    try (var in = jf.getInputStream(jf.getEntry(name))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> providers(String serviceFile) {
    return serviceFile
        .lines()
        .map(l -> l.replaceAll("#.*", "").strip())
        .filter(l -> !l.isEmpty())
        .collect(Collectors.toList());
  }
}
