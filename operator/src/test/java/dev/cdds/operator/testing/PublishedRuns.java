package dev.cdds.operator.testing;

import dev.cdds.operator.storage.ExportJobArchive;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.RunStore;
import dev.cdds.operator.storage.RunTarget;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Runs at a destination as an export publishes them: parts, then a manifest listing them. */
public final class PublishedRuns {
  private PublishedRuns() {}

  /** Publishes {@code target}'s run in {@code archive} with the parts {@code names}. */
  public static void write(ExportJobArchive archive, RunTarget target, List<String> names)
      throws Exception {
    RunStore store = archive.run(target.runId());
    store.clear();
    List<PartFile> files = new ArrayList<>();
    for (String name : names) {
      byte[] content = content(target.runId(), name);
      try (var out = store.create(name)) {
        out.write(content);
      }
      files.add(new PartFile(name, content.length, 10, sha256(content)));
    }
    store.publish(
        Manifest.of(target, null)
            .source("interaction", "interactions", null)
            .format("jsonl", "gzip", null)
            .records(
                new Manifest.FileSet(
                    "interaction",
                    null,
                    10L * names.size(),
                    files.stream().mapToLong(PartFile::bytes).sum(),
                    files))
            .completedAt(Instant.now().toString()));
  }

  /** What {@link #write} puts in a part: its run and name, repeated. */
  public static byte[] content(String runId, String name) {
    return (runId + "/" + name + " ").repeat(100).getBytes(StandardCharsets.UTF_8);
  }

  public static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
