package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3Destination {
  @Required
  @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
  @JsonPropertyDescription("Bucket name (3-63 lowercase letters, digits, dots and hyphens).")
  public String bucket;

  @Size(max = 512)
  @ValidationRule(
      value =
          "!self.startsWith('/') && !self.contains('//') && !self.matches('(^|/)[.][.]?(/|$)')"
              + " && !self.matches('[[:cntrl:]]')",
      message =
          "prefix must be folder names separated by single slashes, without a leading slash,"
              + " '.' or '..' segments or control characters, such as exports/site-a")
  @JsonPropertyDescription(
      "Folder inside the bucket, without a leading slash (a trailing one is optional). Objects"
          + " are named <prefix>/<namespace>/<exportjob>/<run-id>/part-00000.jsonl.gz: the"
          + " namespace is always a folder of its own, so jobs of different namespaces never"
          + " share one.")
  public String prefix;

  @Pattern("^https?://[^\\s]+$")
  @JsonPropertyDescription(
      "Endpoint URL of an S3-compatible server (https://minio.example:9000). Omitted: AWS S3"
          + " of the region.")
  public String endpoint;

  @Size(max = 64)
  @JsonPropertyDescription("Region of the bucket (us-east-1 when omitted).")
  public String region;

  @Default("false")
  @JsonPropertyDescription(
      "Address the bucket in the path (endpoint/bucket/key) instead of the host name, as most"
          + " self-hosted servers need.")
  public Boolean pathStyle;

  @Required
  @JsonPropertyDescription(
      "Secret with the credentials, keys accessKeyId and secretAccessKey. Never put them in"
          + " the ExportJob.")
  public SecretReference secretRef;
}
