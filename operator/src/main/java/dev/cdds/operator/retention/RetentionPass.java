package dev.cdds.operator.retention;

import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.storage.ExportJobArchive;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes a job's expired runs and reports what is kept into the ExportJob's status: after each
 * successful run (so a job that runs keeps its destination trimmed) and in the prune pods the
 * operator starts when the oldest kept run expires.
 */
public final class RetentionPass {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionPass.class);

  private RetentionPass() {}

  /** Why the pass failed, if it did; a failure is logged and reported, never thrown. */
  public static Optional<String> run(
      ExportJobArchive archive,
      ExportJobSpec spec,
      Set<String> inUse,
      Optional<RetentionReporter> reporter,
      Instant now) {
    int days = Output.retentionDays(spec.output);
    try {
      Retention.Result result = Retention.apply(archive, days, now, inUse);
      LOG.info(
          "retention checked days={} deletedRuns={} deletedFiles={} keptRuns={} in={}",
          days,
          result.deletedRuns().size(),
          result.deletedFiles(),
          result.keptRuns(),
          archive.location());
      reporter.ifPresent(r -> r.passed(result, now));
      if (!result.refused().isEmpty()) {
        // Seen in status.retention.error, but not a failure to retry: the next pass finds the
        // same manifest until someone looks at it.
        String refused = String.join("; ", result.refused());
        reporter.ifPresent(r -> r.failed(refused));
      }
      return Optional.empty();
    } catch (IOException e) {
      String error = "deleting expired runs in " + archive.location() + ": " + e.getMessage();
      LOG.warn("retention failed error=\"{}\"", error);
      try {
        reporter.ifPresent(r -> r.failed(error));
      } catch (KubernetesClientException reportFailure) {
        LOG.warn("retention failure not reported: {}", reportFailure.getMessage());
      }
      return Optional.of(error);
    } catch (KubernetesClientException e) {
      LOG.warn("retention result not reported: {}", e.getMessage());
      return Optional.of("reporting the retention result: " + e.getMessage());
    }
  }
}
