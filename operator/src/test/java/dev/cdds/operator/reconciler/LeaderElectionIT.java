package dev.cdds.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.testing.ControlPlaneExtension;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorUnderTest;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With two replicas, only the holder of the Lease reconciles; the other takes over when it goes.
 */
@ExtendWith(ControlPlaneExtension.class)
class LeaderElectionIT {
  private static final Pattern RECONCILIATIONS =
      Pattern.compile("(?m)^operator_sdk_reconciliations_started_total\\{[^}]*\\} ([0-9.]+)$");

  private final ControlPlane controlPlane;

  LeaderElectionIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Test
  void onlyTheLeaderActsAndTheOtherTakesOverWhenItStops() throws Exception {
    var client = controlPlane.client();
    String namespace = OperatorUnderTest.readyNamespace(controlPlane, "leader");
    var jobs = client.resources(ExportJob.class).inNamespace(namespace);

    var alpha = OperatorUnderTest.start(client, namespace, "alpha");
    var leases = client.leases().inNamespace(namespace).withName(OperatorRuntime.LEASE_NAME);
    leases.waitUntilCondition(l -> holder(l).equals("alpha"), 60, TimeUnit.SECONDS);
    try (var beta = OperatorUnderTest.start(client, namespace, "beta")) {
      jobs.resource(ExportJobs.daily("first", "01:00", "UTC")).create();
      client
          .batch()
          .v1()
          .cronjobs()
          .inNamespace(namespace)
          .withName("first")
          .waitUntilCondition(c -> c != null, 60, TimeUnit.SECONDS);

      assertThat(reconciliations(alpha.scrape())).isPositive();
      assertThat(reconciliations(beta.scrape())).isZero();

      alpha.close();
      leases.waitUntilCondition(l -> holder(l).equals("beta"), 90, TimeUnit.SECONDS);
      jobs.resource(ExportJobs.daily("second", "01:00", "UTC")).create();
      client
          .batch()
          .v1()
          .cronjobs()
          .inNamespace(namespace)
          .withName("second")
          .waitUntilCondition(c -> c != null, 60, TimeUnit.SECONDS);

      assertThat(reconciliations(beta.scrape())).isPositive();
    } finally {
      alpha.close();
    }
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
