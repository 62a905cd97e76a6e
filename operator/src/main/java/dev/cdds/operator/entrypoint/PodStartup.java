package dev.cdds.operator.entrypoint;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.runcontract.GcOverheadGuard;
import dev.cdds.operator.runcontract.PodEnv;
import dev.cdds.operator.runcontract.Redaction;
import dev.cdds.operator.runcontract.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What every pod the operator starts does around its work: names its job in every log line, checks
 * the environment it was given, reads the frozen spec, and leaves the outcome as its termination
 * message and exit code, which is all the operator reads of it.
 */
final class PodStartup {
  private static final Logger LOG = LoggerFactory.getLogger(PodStartup.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final List<String> ALWAYS_REQUIRED =
      List.of(PodEnv.SPEC, PodEnv.NAMESPACE, PodEnv.EXPORTJOB);

  /** The work of a pod, given its spec; it reports a failure in its summary, never by throwing. */
  @FunctionalInterface
  interface Work {
    RunSummary run(ExportJobSpec spec) throws Exception;
  }

  private final Map<String, String> env;

  /** Every credential the pod was given, as {@link Redaction} masks it in what leaves the pod. */
  private Redaction redaction() {
    return Redaction.of(
        Stream.of(PodEnv.SOURCE_PASSWORD, PodEnv.S3_SECRET_ACCESS_KEY).map(env::get).toList());
  }

  PodStartup(Map<String, String> env) {
    this.env = env;
  }

  /** Runs {@code work} once the {@code required} variables are there; the pod's exit code. */
  int run(String role, List<String> required, Work work) throws Exception {
    MDC.put("exportjob", env.get(PodEnv.EXPORTJOB));
    MDC.put("namespace", env.get(PodEnv.NAMESPACE));
    if (env.get(PodEnv.RUN_ID) != null) {
      MDC.put("run", env.get(PodEnv.RUN_ID));
    }
    Path terminationLog =
        Path.of(env.getOrDefault(PodEnv.TERMINATION_LOG, PodEnv.TERMINATION_LOG_PATH));
    RunSummary summary =
        Stream.concat(ALWAYS_REQUIRED.stream(), required.stream())
            .filter(name -> env.get(name) == null)
            .findFirst()
            .map(name -> RunSummary.failed("environment variable " + name + " is not set"))
            .orElse(null);
    if (summary == null) {
      // A run whose records do not fit its memory fails saying so, rather than crawl for hours.
      GcOverheadGuard.install(
          GcOverheadGuard.WINDOW,
          1,
          reason -> {
            try {
              Files.writeString(
                  terminationLog,
                  RunSummary.failed(role + " pod starved of memory: " + reason).toJson());
            } catch (IOException e) {
              // The exit code still fails the attempt; the operator reads the log's tail.
            }
          });
      try {
        summary = work.run(JSON.readValue(env.get(PodEnv.SPEC), ExportJobSpec.class));
      } catch (Exception e) {
        // Said in the summary rather than as a stack trace, whose tail would become the
        // termination message unredacted.
        LOG.debug("{} failed", role, e);
        summary = RunSummary.failed(e.toString());
      }
    }
    summary = summary.redacted(redaction());
    Files.writeString(terminationLog, summary.toJson());
    if (summary.error() != null) {
      LOG.error("{} failed error=\"{}\"", role, summary.error());
      return Boolean.TRUE.equals(summary.endsRun()) ? PodEnv.EXIT_ENDS_RUN : 1;
    }
    return 0;
  }
}
