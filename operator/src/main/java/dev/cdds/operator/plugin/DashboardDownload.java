package dev.cdds.operator.plugin;

import com.sun.net.httpserver.HttpExchange;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.storage.ExportJobArchive;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.Sha256;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kept file, streamed from the destination through the dashboard to the browser, with the
 * destination's Secret read by the person's own credentials. The file's last block is held back
 * until its size and SHA-256 match the manifest: a file that does not arrives short of the length
 * announced, and the browser reports the download as failed instead of keeping it.
 */
final class DashboardDownload {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardDownload.class);
  private static final int BLOCK = 1 << 16;

  private final KubernetesClient client;

  DashboardDownload(KubernetesClient client) {
    this.client = client;
  }

  void send(HttpExchange exchange, String namespace, String name, String run, String file)
      throws IOException {
    ExportJob job = ExportJobLookup.get(client, namespace, name);
    try (ExportJobArchive archive = RunArchives.open(client, job, Optional.empty())) {
      // Only a name the manifest lists, which Manifest.parse allows only as a plain file name.
      PartFile part =
          RunArchives.manifest(archive, run).allFiles().stream()
              .filter(f -> f.name().equals(file))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalArgumentException("run " + run + " has no file " + file));
      exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
      exchange
          .getResponseHeaders()
          .add("Content-Disposition", "attachment; filename=\"" + part.name() + "\"");
      // 0 would mean "chunked" to the JDK's server, -1 means no body.
      exchange.sendResponseHeaders(200, part.bytes() == 0 ? -1 : part.bytes());
      try (InputStream in = archive.run(run).open(part.name())) {
        stream(in, exchange.getResponseBody(), part);
      }
    }
  }

  private static void stream(InputStream in, OutputStream out, PartFile part) throws IOException {
    MessageDigest sha256 = Sha256.digest();
    byte[] held = new byte[0];
    long total = 0;
    byte[] buffer = new byte[BLOCK];
    for (int n; (n = in.readNBytes(buffer, 0, BLOCK)) > 0 && total <= part.bytes(); ) {
      sha256.update(buffer, 0, n);
      total += n;
      out.write(held);
      held = Arrays.copyOf(buffer, n);
    }
    String actual = Sha256.hex(sha256);
    if (total != part.bytes() || !actual.equals(part.sha256())) {
      LOG.warn(
          "download refused file={} bytes={} sha256={}: the manifest says bytes={} sha256={}",
          part.name(),
          total,
          actual,
          part.bytes(),
          part.sha256());
      throw new IOException(part.name() + " differs from its manifest: not sent whole");
    }
    out.write(held);
  }
}
