package dev.cdds.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorExtension;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * With two replicas, only the holder of the Lease reconciles; the other takes over when it goes.
 */
// Alone: lease timings: a busy machine must not decide who leads.
@Isolated
class LeaderElectionIT {
  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.namespaceOnly("leader");

  private static final Pattern RECONCILIATIONS =
      Pattern.compile("(?m)^operator_sdk_reconciliations_started_total\\{[^}]*\\} ([0-9.]+)$");

  @Test
  void onlyTheLeaderActsAndTheOtherTakesOverWhenItStops() throws Exception {

    var alpha = cluster.start("alpha");
    var leases = lease();
    leases.waitUntilCondition(l -> holder(l).equals("alpha"), 60, TimeUnit.SECONDS);
    try (var beta = cluster.start("beta")) {
      cluster.jobs().resource(ExportJobs.daily("first", "01:00", "UTC")).create();
      cluster
          .client()
          .batch()
          .v1()
          .cronjobs()
          .inNamespace(cluster.namespace())
          .withName("first")
          .waitUntilCondition(c -> c != null, 60, TimeUnit.SECONDS);

      assertThat(reconciliations(alpha.scrape())).isPositive();
      assertThat(reconciliations(beta.scrape())).isZero();

      alpha.close();
      leases.waitUntilCondition(l -> holder(l).equals("beta"), 90, TimeUnit.SECONDS);
      cluster.jobs().resource(ExportJobs.daily("second", "01:00", "UTC")).create();
      cluster
          .client()
          .batch()
          .v1()
          .cronjobs()
          .inNamespace(cluster.namespace())
          .withName("second")
          .waitUntilCondition(c -> c != null, 60, TimeUnit.SECONDS);

      assertThat(reconciliations(beta.scrape())).isPositive();
    } finally {
      alpha.close();
    }
  }

  @Test
  void aLeaderFrozenPastItsLeaseIsReplacedAndExitsWhenItWakesWithoutARunStartedTwice()
      throws Exception {
    var leases = lease();
    try (var gamma = cluster.startProcess("gamma")) {
      leases.waitUntilCondition(l -> holder(l).equals("gamma"), 90, TimeUnit.SECONDS);
      try (var delta = cluster.startProcess("delta")) {
        // No graceful hand-over: the leader stops, as a stalled node or a long GC pause stops it.
        gamma.signal("STOP");
        leases.waitUntilCondition(l -> holder(l).equals("delta"), 90, TimeUnit.SECONDS);
        cluster.jobs().resource(ExportJobs.once("after-freeze")).create();
        var done =
            cluster
                .jobs()
                .withName("after-freeze")
                .waitUntilCondition(
                    j -> j.getStatus() != null && j.getStatus().history != null,
                    90,
                    TimeUnit.SECONDS);

        gamma.signal("CONT");

        assertThat(gamma.waitForExit(Duration.ofSeconds(60)))
            .as("the old leader exits once it sees it lost the Lease")
            .isTrue();
        assertThat(gamma.exitValue()).isEqualTo(1);
        assertThat(holder(leases.get())).isEqualTo("delta");
        assertThat(done.getStatus().history).singleElement();
        assertThat(cluster.kubernetesJobsOf("after-freeze").list().getItems())
            .as("one Job for the one run")
            .hasSize(1);
      }
    }
  }

  private static Resource<Lease> lease() {
    return cluster
        .client()
        .leases()
        .inNamespace(cluster.namespace())
        .withName(OperatorRuntime.LEASE_NAME);
  }

  private static String holder(Lease lease) {
    return lease == null || lease.getSpec().getHolderIdentity() == null
        ? ""
        : lease.getSpec().getHolderIdentity();
  }

  private static double reconciliations(String scrape) {
    var matcher = RECONCILIATIONS.matcher(scrape);
    double total = 0;
    while (matcher.find()) {
      total += Double.parseDouble(matcher.group(1));
    }
    return total;
  }
}
