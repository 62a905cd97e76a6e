package dev.cdds.operator.storage;

/** One written file of a run, as the manifest lists it. */
public record PartFile(String name, long bytes, long records, String sha256) {}
