package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Record encoding of the exported files. */
public enum OutputFormat {
  @JsonProperty("jsonl")
  JSONL,
  @JsonProperty("csv")
  CSV
}
