package dev.cdds.operator.entrypoint;

import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.runcontract.PodEnv;
import dev.cdds.operator.storage.ClaimFolders;
import dev.cdds.operator.storage.DirectoryArchive;
import dev.cdds.operator.storage.ExportJobArchive;
import dev.cdds.operator.storage.S3Archive;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where an export or prune pod finds the job's runs, from the environment the operator gave it: the
 * claim mounted at {@link PodEnv#OUTPUT_DIR}, or the bucket of spec.output.destination.s3 with the
 * credentials of its Secret.
 */
final class PodDestination {
  private PodDestination() {}

  /**
   * The job's archive.
   *
   * @throws IllegalArgumentException saying what is missing, for the run's summary
   */
  static ExportJobArchive open(ExportJobSpec spec, Map<String, String> env) {
    String namespace = env.get(PodEnv.NAMESPACE);
    String exportJob = env.get(PodEnv.EXPORTJOB);
    var destination = spec.output == null ? null : spec.output.destination;
    if (env.get(PodEnv.OUTPUT_DIR) != null) {
      Path mount = Path.of(env.get(PodEnv.OUTPUT_DIR));
      return new DirectoryArchive(mount, ClaimFolders.root(mount, spec), namespace, exportJob);
    }
    if (destination == null || destination.s3 == null) {
      throw new IllegalArgumentException(
          "no destination: set spec.output.destination, or install the operator with a default"
              + " claim (--default-claim)");
    }
    for (String required : new String[] {PodEnv.S3_ACCESS_KEY_ID, PodEnv.S3_SECRET_ACCESS_KEY}) {
      if (env.get(required) == null) {
        throw new IllegalArgumentException("environment variable " + required + " is not set");
      }
    }
    return S3Archive.connect(
        destination.s3,
        env.get(PodEnv.S3_ACCESS_KEY_ID),
        env.get(PodEnv.S3_SECRET_ACCESS_KEY),
        namespace,
        exportJob);
  }
}
