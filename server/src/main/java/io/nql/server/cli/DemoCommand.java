package io.nql.server.cli;

import io.nql.planner.demo.DemoMarketplace;
import io.nql.planner.engine.NqlEngine;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code nql demo}: creates the demo marketplace in a warehouse. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Create a demo marketplace in a warehouse: companies acme, globex and buyer_co, one user",
      "each, and day-partitioned datasets (acme's mobile_events, globex's purchases and",
      "web_visits; over a million rows in all, the same on every run). Prints what it created",
      "and the credentials. Refuses a warehouse that already has these companies."
    },
    footer = {"", "Example:", "  nql demo --warehouse ./demo-warehouse"})
final class DemoCommand implements Callable<Integer> {
  @Mixin WarehouseOptions warehouse;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (NqlEngine engine = NqlEngine.open(warehouse.config(false))) {
      engine.generatedAdminPassword().ifPresent(p -> Banner.adminPassword(err, p));
      DemoMarketplace.Report report = DemoMarketplace.create(engine);
      out.println("Demo marketplace created in " + warehouse.warehouse.toAbsolutePath());
      out.println();
      out.println("Companies and users (user / password):");
      for (DemoMarketplace.DemoUser u : report.users()) {
        out.printf("  %-10s %-14s / %s%n", u.company(), u.user(), u.password());
      }
      out.println();
      out.println("Datasets:");
      for (DemoMarketplace.DemoDataset d : report.datasets()) {
        out.printf(
            "  %-10s company_data.%-16s %,10d rows  (partitioned by day)%n",
            d.company(), d.name(), d.rows());
      }
      out.println();
      out.println("Access rules (provider.rule, price per 1,000 rows, shared with):");
      for (DemoMarketplace.DemoRule r : report.rules()) {
        out.printf("  %-30s %6s USD  %s%n", r.provider() + "." + r.name(), r.price(), r.audience());
      }
      out.printf("%nDone in %.1f s. Try:%n", report.seconds());
      out.printf(
          "  bin/nql sql --warehouse %s --user acme_user \"SHOW DATASETS\"%n", warehouse.warehouse);
      out.flush();
    }
    return 0;
  }
}
