package dev.cdds.operator.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One object uploaded as it is written: each full buffer of the part size goes up as one part of a
 * multipart upload, so a file of any size needs one buffer of memory. A file smaller than one part
 * is a single PUT. The object appears when {@link #close()} completes the upload.
 */
final class S3Output extends StoreOutput {
  /** 16 MiB parts by default: S3 allows 10,000 of them, so one object can reach 156 GiB. */
  static final int PART_SIZE = 16 * 1024 * 1024;

  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final int partSize;
  private final List<CompletedPart> parts = new ArrayList<>();
  private byte[] buffer = new byte[64 * 1024];
  private int length;
  private String uploadId;

  /** {@code partSize}: at least 5 MiB, the smallest part S3 accepts but for the last. */
  S3Output(S3Client s3, String bucket, String key, int partSize) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.partSize = partSize;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int count) throws IOException {
    while (count > 0) {
      if (length == partSize) {
        uploadPart();
      }
      int n = Math.min(count, partSize - length);
      ensureCapacity(length + n);
      System.arraycopy(bytes, offset, buffer, length, n);
      length += n;
      offset += n;
      count -= n;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (uploadId == null) {
        s3.putObject(r -> r.bucket(bucket).key(key), body());
        return;
      }
      uploadPart();
      s3.completeMultipartUpload(
          r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(u -> u.parts(parts)));
    } catch (SdkException e) {
      abort();
      throw failure(e);
    }
  }

  @Override
  public void abort() {
    if (uploadId == null) {
      return;
    }
    try {
      s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      // The next attempt of the run aborts every upload left under its folder.
    }
    uploadId = null;
  }

  private void uploadPart() throws IOException {
    try {
      if (uploadId == null) {
        uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
      }
      int number = parts.size() + 1;
      String etag =
          s3.uploadPart(
                  r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number), body())
              .eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      length = 0;
    } catch (SdkException e) {
      abort();
      throw failure(e);
    }
  }

  private RequestBody body() {
    return RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, length), length);
  }

  /** Grows the buffer as the first part fills, so a small file never holds a full part. */
  private void ensureCapacity(int needed) {
    if (needed > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.min(partSize, Math.max(needed, buffer.length * 2)));
    }
  }

  private IOException failure(SdkException e) {
    return new IOException("uploading s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
  }
}
