package dev.cdds.operator.testing;

import dev.cdds.localcluster.S3Server;
import dev.cdds.operator.api.S3Destination;
import dev.cdds.operator.api.SecretReference;
import dev.cdds.operator.storage.S3Archive;

/** spec.output.destination.s3 pointing at the local S3 server. */
public final class S3Destinations {
  private S3Destinations() {}

  /** A destination in {@code bucket}, created if missing, with credentials in {@code secret}. */
  public static S3Destination of(S3Server server, String bucket, String prefix, String secret) {
    server.createBucket(bucket);
    var destination = new S3Destination();
    destination.bucket = bucket;
    destination.prefix = prefix;
    destination.endpoint = server.endpoint();
    destination.pathStyle = true;
    destination.secretRef = new SecretReference();
    destination.secretRef.name = secret;
    return destination;
  }

  /** A job's runs at {@code destination}, with the local server's keys, as its pods see them. */
  public static S3Archive archive(S3Destination destination, String namespace, String exportJob) {
    return S3Archive.connect(
        destination, S3Server.ACCESS_KEY_ID, S3Server.SECRET_ACCESS_KEY, namespace, exportJob);
  }
}
