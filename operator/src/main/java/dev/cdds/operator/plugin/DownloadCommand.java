package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.storage.ExportJobArchive;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.RunStore;
import dev.cdds.operator.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kubectl cdds download NAME --run ID [--to DIR]}: a run's files, each checked against the
 * SHA-256 of its manifest, into {@code DIR/<run-id>/}. From a claim that is not readable here it
 * prints how to copy the run out through a short-lived reader pod instead.
 */
@Command(
    name = "download",
    mixinStandardHelpOptions = true,
    description =
        "Downloads a run's files and manifest, verifying each SHA-256. For a"
            + " PersistentVolumeClaim, prints the path and the kubectl commands that copy the run"
            + " out.")
final class DownloadCommand extends NamedExportJobCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, paramLabel = "ID", description = "The run.")
  String run;

  @Option(
      names = "--to",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "Where the run's folder goes. Default: the current directory.")
  Path to;

  @Mixin ClaimDirOption claim;

  @Override
  public Integer call() throws IOException {
    var out = spec.commandLine().getOut();
    try (var client = parent.client()) {
      ExportJob job = ExportJobLookup.get(client, ExportJobLookup.namespace(parent, client), name);
      if (!RunArchives.onS3(job) && claim.dir().isEmpty()) {
        out.print(ReaderPod.instructions(client, job, run));
        out.flush();
        return 0;
      }
      try (ExportJobArchive archive = RunArchives.open(client, job, claim.dir())) {
        RunStore store = archive.run(run);
        Manifest manifest = RunArchives.manifest(archive, run);
        Path folder = inside(to, run);
        Files.createDirectories(folder);
        var terminal = Terminal.detect(System.getenv());
        for (PartFile file : manifest.allFiles()) {
          copy(store, file, folder, out, terminal);
        }
        try (InputStream in = store.open(Manifest.FILE)) {
          Files.copy(in, folder.resolve(Manifest.FILE), StandardCopyOption.REPLACE_EXISTING);
        }
        out.println(
            manifest.allFiles().size()
                + " files of run "
                + run
                + " in "
                + folder
                + ", SHA-256 verified");
        out.flush();
        return 0;
      }
    }
  }

  /**
   * Where a run's files go: {@code to/run}, never anywhere else, whatever the run id says (a
   * manifest's file names are checked when it is read, {@link Manifest#parse}).
   */
  private static Path inside(Path to, String run) {
    Path base = to.toAbsolutePath().normalize();
    Path folder = base.resolve(run).normalize();
    if (!base.equals(folder.getParent())) {
      throw new IllegalArgumentException(
          "run " + run + " is not a run id: its files would go outside " + to);
    }
    if (Files.isSymbolicLink(folder)) {
      throw new IllegalArgumentException(
          folder + " is a symbolic link: the run's files would go where it points; remove it");
    }
    return folder;
  }

  /** Streams one file into place, verified; a file that does not match is not kept. */
  private static void copy(
      RunStore store, PartFile file, Path folder, PrintWriter out, Terminal terminal)
      throws IOException {
    Path partial = folder.resolve(file.name() + ".partial");
    MessageDigest sha256 = Sha256.digest();
    try (InputStream in = new DigestInputStream(store.open(file.name()), sha256);
        OutputStream target =
            Files.newOutputStream(
                partial,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
      byte[] buffer = new byte[1 << 16];
      long done = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        target.write(buffer, 0, n);
        done += n;
        if (terminal.ansi()) {
          out.print(
              "\r"
                  + Describe.bar((int) (file.bytes() == 0 ? 100 : done * 100 / file.bytes()))
                  + " "
                  + file.name());
          out.flush();
        }
      }
    } catch (IOException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    String actual = Sha256.hex(sha256);
    if (!actual.equals(file.sha256())) {
      Files.delete(partial);
      throw new IOException(
          file.name()
              + ": SHA-256 "
              + actual
              + " differs from the manifest's "
              + file.sha256()
              + "; the file was not kept");
    }
    Files.move(partial, folder.resolve(file.name()), StandardCopyOption.REPLACE_EXISTING);
    out.print(
        (terminal.ansi() ? "\r" : "")
            + file.name()
            + "  "
            + Describe.bytes(file.bytes())
            + "  ok\n");
  }
}
