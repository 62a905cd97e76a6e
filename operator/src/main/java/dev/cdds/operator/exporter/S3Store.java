package dev.cdds.operator.exporter;

import dev.cdds.operator.api.S3Destination;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A run's files as objects {@code <prefix><namespace>/<exportjob>/<run-id>/<file>} in a bucket of
 * S3-compatible storage. Files stream up as multipart uploads (see {@link S3Output}), so memory
 * does not grow with the file; an object exists only once its upload completed.
 */
public final class S3Store implements RunStore {
  private final S3Client s3;
  private final String bucket;
  private final String folder;
  private final int partSize;

  S3Store(S3Client s3, String bucket, String folder, int partSize) {
    this.s3 = s3;
    this.bucket = bucket;
    this.folder = folder;
    this.partSize = partSize;
  }

  /** Connects with the credentials of the destination's Secret, as the pod's environment has. */
  public static S3Store connect(
      S3Destination destination, String accessKeyId, String secretAccessKey, RunTarget target) {
    var builder =
        S3Client.builder()
            .httpClientBuilder(ApacheHttpClient.builder())
            .region(Region.of(destination.region == null ? "us-east-1" : destination.region))
            .forcePathStyle(Boolean.TRUE.equals(destination.pathStyle))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
            // Checksums beyond what the API requires are not implemented by every S3-compatible
            // server; the manifest carries each file's SHA-256 instead.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (destination.endpoint != null) {
      builder.endpointOverride(URI.create(destination.endpoint));
    }
    String prefix = destination.prefix == null ? "" : destination.prefix;
    return new S3Store(
        builder.build(), destination.bucket, prefix + target.folder(), S3Output.PART_SIZE);
  }

  @Override
  public Optional<Manifest> completed() throws IOException {
    try {
      byte[] json =
          s3.getObjectAsBytes(r -> r.bucket(bucket).key(folder + Manifest.FILE)).asByteArray();
      return Optional.of(Manifest.parse(json));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw failure("reading " + Manifest.FILE, e);
    }
  }

  @Override
  public void clear() throws IOException {
    try {
      for (MultipartUpload upload :
          s3.listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(folder)).uploads()) {
        s3.abortMultipartUpload(
            r -> r.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
      }
      for (S3Object object :
          s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(folder)).contents()) {
        s3.deleteObject(r -> r.bucket(bucket).key(object.key()));
      }
    } catch (SdkException e) {
      throw failure("removing an earlier attempt", e);
    }
  }

  @Override
  public StoreOutput create(String name) {
    return new S3Output(s3, bucket, folder + name, partSize);
  }

  @Override
  public void publish(Manifest manifest) throws IOException {
    try {
      s3.putObject(
          r -> r.bucket(bucket).key(folder + Manifest.FILE).contentType("application/json"),
          RequestBody.fromBytes(manifest.toJson()));
    } catch (SdkException e) {
      throw failure("writing " + Manifest.FILE, e);
    }
  }

  @Override
  public String location(String name) {
    return "s3://" + bucket + "/" + folder + name;
  }

  @Override
  public void close() {
    s3.close();
  }

  @Override
  public String toString() {
    return location("");
  }

  private IOException failure(String action, SdkException e) {
    return new IOException(action + " in " + location("") + ": " + e.getMessage(), e);
  }
}
