package dev.cdds.operator.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * A run's files as objects {@code <prefix>/<namespace>/<exportjob>/<run-id>/<file>} in a bucket of
 * S3-compatible storage. Files stream up as multipart uploads (see {@link S3Output}), so memory
 * does not grow with the file; an object exists only once its upload completed. The client belongs
 * to the {@link S3Archive} or test that made the store.
 */
public final class S3Store implements RunStore {
  private final S3Client s3;
  private final String bucket;
  private final String folder;
  private final int partSize;

  public S3Store(S3Client s3, String bucket, String folder, int partSize) {
    this.s3 = s3;
    this.bucket = bucket;
    this.folder = folder;
    this.partSize = partSize;
  }

  @Override
  public Optional<Manifest> completed() throws IOException {
    try {
      try (InputStream in = s3.getObject(r -> r.bucket(bucket).key(folder + Manifest.FILE))) {
        return Optional.of(Manifest.read(in));
      }
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw failure("reading " + Manifest.FILE, e);
    }
  }

  @Override
  public void clear(String prefix) throws IOException {
    try {
      S3Archive.deleteUnder(s3, bucket, folder + prefix);
    } catch (SdkException e) {
      throw failure("removing an earlier attempt", e);
    }
  }

  @Override
  public StoreOutput create(String name) {
    return new S3Output(s3, bucket, folder + name, partSize);
  }

  @Override
  public void write(String name, byte[] content) throws IOException {
    try {
      s3.putObject(
          r -> r.bucket(bucket).key(folder + name).contentType("application/json"),
          RequestBody.fromBytes(content));
    } catch (SdkException e) {
      throw failure("writing " + name, e);
    }
  }

  @Override
  public InputStream open(String name) throws IOException {
    try {
      return s3.getObject(r -> r.bucket(bucket).key(folder + name));
    } catch (NoSuchKeyException e) {
      // As a directory says it: readers tell a missing file from a failing store alike.
      throw new NoSuchFileException(location(name));
    } catch (SdkException e) {
      throw failure("reading " + name, e);
    }
  }

  @Override
  public String location(String name) {
    return "s3://" + bucket + "/" + folder + name;
  }

  @Override
  public String toString() {
    return location("");
  }

  private IOException failure(String action, SdkException e) {
    return new IOException(action + " in " + location("") + ": " + e.getMessage(), e);
  }
}
