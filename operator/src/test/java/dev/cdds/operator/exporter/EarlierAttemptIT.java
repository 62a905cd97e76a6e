package dev.cdds.operator.exporter;

import static dev.cdds.operator.exporter.ExportFixture.ROWS;
import static dev.cdds.operator.exporter.ExportFixture.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.operator.api.Compression;
import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.api.OutputFormat;
import dev.cdds.operator.api.SourceType;
import dev.cdds.operator.exporter.ExportFixture.Destination;
import dev.cdds.operator.runcontract.RunSummary;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.RunStore;
import dev.cdds.operator.storage.RunTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A retry finds what an earlier attempt, a crashed node or someone with write access left in the
 * run's folder: a manifest is taken as proof the run is done only when it parses, is the run's own
 * and every file it lists matches; otherwise the run is redone, never reported done with broken
 * files nor failed on every retry.
 */
@ResourceLock(ExportFixture.DATABASE)
class EarlierAttemptIT {
  @RegisterExtension static final ExportFixture fixture = new ExportFixture();

  /** What is left in the run's folder, done to a run an earlier attempt completed. */
  enum Tampering {
    /** A node crash after the manifest's rename but before the part reached the disk. */
    PART_CHANGED {
      @Override
      void apply(RunStore store) throws IOException {
        write(store, store.completed().orElseThrow().files().get(0).name(), "emptied by a crash");
      }
    },
    /** A manifest cut short: it no longer parses. */
    MANIFEST_TRUNCATED {
      @Override
      void apply(RunStore store) throws IOException {
        write(store, Manifest.FILE, "{\"manifestVersion\": 1, \"namespace\": \"ns\", \"fi");
      }
    },
    /** Another job's complete run, manifest and parts, planted in this run's folder. */
    ANOTHER_JOBS_RUN {
      @Override
      void apply(RunStore store) throws IOException {
        Manifest own = store.completed().orElseThrow();
        var other = new RunTarget("other-ns", "other", own.runId());
        Manifest planted =
            Manifest.of(other, own.scheduledAt())
                .records(
                    new Manifest.FileSet(
                        own.recordType(),
                        own.recordSchema(),
                        own.records(),
                        own.bytes(),
                        own.files()))
                .completedAt(own.completedAt());
        store.publish(planted);
      }
    };

    abstract void apply(RunStore store) throws IOException;
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("cases")
  void aRunWhoseEarlierManifestIsNoProofIsRedoneNotReportedOrFailedForever(
      Tampering tampering, Destination destination) throws Exception {
    var target =
        target(
            tampering.name().toLowerCase().replace('_', '-')
                + "-"
                + destination.name().toLowerCase());
    var spec = spec();
    RunStore store = fixture.store(destination, target);
    RunSummary first =
        ExportFixture.firstRun(spec, target)
            .execute(store, fixture.source(fixture.postgres().url()));
    assertThat(first.result()).as(first.error()).isEqualTo("Succeeded");
    tampering.apply(store);

    AtomicLong progress = new AtomicLong();
    RunSummary retry =
        new ExportRun(
                spec,
                target,
                SCHEDULED,
                ExportFixture.window(spec, SCHEDULED),
                (done, total, bytes, files) -> progress.set(done),
                Clock.systemUTC())
            .execute(store, fixture.source(fixture.postgres().url()));

    assertThat(progress.get()).as("the retry exported again").isPositive();
    assertThat(retry.result()).as(retry.error()).isEqualTo("Succeeded");
    Manifest manifest = fixture.manifest(retry);
    assertThat(manifest.exportJob()).isEqualTo(target.exportJob());
    assertThat(manifest.records()).isEqualTo(ROWS);
    assertThat(fixture.exportedIds(manifest, OutputFormat.JSONL)).hasSize((int) ROWS);
  }

  static Stream<Arguments> cases() {
    return Stream.of(Tampering.values())
        .flatMap(t -> Stream.of(Destination.values()).map(d -> Arguments.of(t, d)));
  }

  private static RunTarget target(String job) {
    return new RunTarget("ns", job, job + "-" + SCHEDULED.getEpochSecond() / 60);
  }

  private static ExportJobSpec spec() {
    return ExportFixture.spec(
        SourceType.Interaction, OutputFormat.JSONL, Compression.GZIP, null, fixture.all());
  }

  private static void write(RunStore store, String name, String content) throws IOException {
    try (var out = store.create(name)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }
}
