package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.schedule.SpecDuration;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.S3Archive;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kubectl cdds presign NAME --run ID [--expires 1h]}: a URL for each file of a run in a
 * bucket, signed on this machine with the destination's Secret, so that someone without the Secret
 * (a namespace viewer, a partner) fetches exactly those files until the URLs expire.
 */
@Command(
    name = "presign",
    mixinStandardHelpOptions = true,
    description =
        "Prints a time-limited URL for each file of a run on S3 (manifest first), signed with the"
            + " destination's Secret: whoever has a URL can fetch that file, without the keys,"
            + " until it expires.")
final class PresignCommand extends NamedExportJobCommand implements Callable<Integer> {
  /** The longest a SigV4 signature can be valid. */
  static final Duration LONGEST = Duration.ofDays(7);

  @Option(names = "--run", required = true, paramLabel = "ID", description = "The run.")
  String run;

  @Option(
      names = "--expires",
      paramLabel = "DURATION",
      defaultValue = "1h",
      description = "How long the URLs work: 30s, 15m, 1h, up to 168h. Default: ${DEFAULT-VALUE}.")
  String expires;

  @Override
  public Integer call() throws IOException {
    Duration validFor = SpecDuration.parse(expires, "--expires");
    if (validFor.isNegative() || validFor.isZero() || validFor.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException(
          "--expires must be more than 0s and at most 168h (7 days), the longest an S3 signature"
              + " is valid");
    }
    try (var client = parent.client()) {
      ExportJob job = ExportJobLookup.get(client, ExportJobLookup.namespace(parent, client), name);
      if (!RunArchives.onS3(job)) {
        throw new IllegalArgumentException(
            "exportjob.cdds.dev/"
                + name
                + " writes to a PersistentVolumeClaim, which has no URLs: use kubectl cdds"
                + " download");
      }
      try (S3Archive archive = RunArchives.onS3(client, job)) {
        Manifest manifest = RunArchives.manifest(archive, run);
        List<String> names = new ArrayList<>(List.of(Manifest.FILE));
        manifest.allFiles().stream().map(PartFile::name).forEach(names::add);
        var out = spec.commandLine().getOut();
        for (String file : names) {
          out.println(file + "  " + archive.presignedUrl(run, file, validFor));
        }
        out.flush();
        var err = spec.commandLine().getErr();
        err.println(
            "valid until "
                + Describe.minute(Instant.now().plus(validFor).toString())
                + "; anyone with a URL can fetch its file until then");
        err.flush();
        return 0;
      }
    }
  }
}
