package dev.cdds.operator.storage;

import dev.cdds.operator.api.S3Destination;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The runs of a job under {@code <prefix>/<namespace>/<exportjob>/} in a bucket: the namespace is a
 * whole segment of the key whatever the prefix ends with, so that no prefix of one namespace names
 * another namespace's folder ({@code team-} in namespace {@code a} is not {@code team-a}).
 */
public final class S3Archive implements ExportJobArchive {
  private final S3Client s3;
  private final S3Presigner presigner;
  private final String bucket;
  private final String namespace;
  private final String exportJob;
  private final String folder;
  private final int partSize;

  public S3Archive(
      S3Client s3, String bucket, String prefix, String namespace, String exportJob, int partSize) {
    this(s3, null, bucket, prefix, namespace, exportJob, partSize);
  }

  private S3Archive(
      S3Client s3,
      S3Presigner presigner,
      String bucket,
      String prefix,
      String namespace,
      String exportJob,
      int partSize) {
    this.s3 = s3;
    this.presigner = presigner;
    this.bucket = bucket;
    this.namespace = namespace;
    this.exportJob = exportJob;
    this.folder = folder(prefix, namespace, exportJob);
    this.partSize = partSize;
  }

  /** {@code <prefix>/<namespace>/<exportjob>/}, the prefix without its trailing slashes. */
  public static String folder(String prefix, String namespace, String exportJob) {
    String base = prefix == null ? "" : prefix.replaceAll("/+$", "");
    return (base.isEmpty() ? "" : base + "/") + namespace + "/" + exportJob + "/";
  }

  /** Connects with the credentials of the destination's Secret, as the pod's environment has. */
  public static S3Archive connect(
      S3Destination destination,
      String accessKeyId,
      String secretAccessKey,
      String namespace,
      String exportJob) {
    Region region = Region.of(destination.region == null ? "us-east-1" : destination.region);
    var credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    var builder =
        S3Client.builder()
            .httpClientBuilder(ApacheHttpClient.builder())
            .region(region)
            .forcePathStyle(Boolean.TRUE.equals(destination.pathStyle))
            .credentialsProvider(credentials)
            // S3-compatible servers differ in the checksums they support; the manifest's SHA-256
            // is the integrity check that matters to readers.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    var presigner =
        S3Presigner.builder()
            .region(region)
            .credentialsProvider(credentials)
            .serviceConfiguration(
                S3Configuration.builder()
                    .pathStyleAccessEnabled(Boolean.TRUE.equals(destination.pathStyle))
                    .build());
    if (destination.endpoint != null) {
      builder.endpointOverride(URI.create(destination.endpoint));
      presigner.endpointOverride(URI.create(destination.endpoint));
    }
    return new S3Archive(
        builder.build(),
        presigner.build(),
        destination.bucket,
        destination.prefix,
        namespace,
        exportJob,
        S3Output.PART_SIZE);
  }

  @Override
  public List<String> runIds() throws IOException {
    try {
      return s3
          .listObjectsV2Paginator(r -> r.bucket(bucket).prefix(folder).delimiter("/"))
          .commonPrefixes()
          .stream()
          .map(CommonPrefix::prefix)
          .map(p -> p.substring(folder.length(), p.length() - 1))
          .sorted()
          .toList();
    } catch (SdkException e) {
      throw new IOException("listing " + location() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public S3Store run(String runId) {
    return new S3Store(s3, bucket, folder + runId + "/", partSize);
  }

  @Override
  public int delete(String runId) throws IOException {
    try {
      return deleteUnder(s3, bucket, folder + runId + "/");
    } catch (SdkException e) {
      throw new IOException("deleting " + location() + runId + "/: " + e.getMessage(), e);
    }
  }

  /** Aborts the unfinished uploads and deletes the objects under {@code prefix}; counts objects. */
  static int deleteUnder(S3Client s3, String bucket, String prefix) {
    for (MultipartUpload upload :
        s3.listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(prefix)).uploads()) {
      s3.abortMultipartUpload(r -> r.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
    }
    int deleted = 0;
    for (S3Object object :
        s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
      s3.deleteObject(r -> r.bucket(bucket).key(object.key()));
      deleted++;
    }
    return deleted;
  }

  @Override
  public RunTarget target(String runId) {
    return new RunTarget(namespace, exportJob, runId);
  }

  @Override
  public String location() {
    return "s3://" + bucket + "/" + folder;
  }

  /**
   * A URL that fetches one file of a run for {@code validFor}, signed here with the archive's
   * credentials: whoever has it reads that file and nothing else, without the keys.
   */
  public URL presignedUrl(String runId, String name, Duration validFor) {
    if (presigner == null) {
      throw new IllegalStateException("an archive made without credentials signs nothing");
    }
    return presigner
        .presignGetObject(
            r ->
                r.signatureDuration(validFor)
                    .getObjectRequest(g -> g.bucket(bucket).key(folder + runId + "/" + name)))
        .url();
  }

  @Override
  public void close() {
    if (presigner != null) {
      presigner.close();
    }
    s3.close();
  }
}
