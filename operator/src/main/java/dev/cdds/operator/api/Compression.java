package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Compression applied to each exported file. */
public enum Compression {
  @JsonProperty("gzip")
  GZIP,
  @JsonProperty("zstd")
  ZSTD,
  @JsonProperty("none")
  NONE
}
