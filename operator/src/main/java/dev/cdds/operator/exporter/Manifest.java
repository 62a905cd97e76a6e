package dev.cdds.operator.exporter;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The last file of a run, listing every part with its size, record count and SHA-256: a run without
 * a manifest is not complete. Written under a temporary name and renamed, so a reader never sees
 * half of one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
    int manifestVersion,
    String namespace,
    String exportJob,
    String runId,
    String scheduledAt,
    String windowStart,
    String windowEnd,
    String recordType,
    String recordSchema,
    String sourceTable,
    List<String> filter,
    String format,
    String compression,
    long records,
    long bytes,
    List<PartFile> files,
    String completedAt) {
  public static final String FILE = "manifest.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  void writeTo(Path runDir) throws IOException {
    Path temporary = runDir.resolve(FILE + ".tmp");
    JSON.writeValue(temporary.toFile(), this);
    Files.move(
        temporary,
        runDir.resolve(FILE),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  static Manifest readFrom(Path runDir) throws IOException {
    return JSON.readValue(runDir.resolve(FILE).toFile(), Manifest.class);
  }
}
