package dev.cdds.operator.api;

/** How often a job runs: the Run setting of the Jobs page. */
public enum RunMode {
  Once,
  Hourly,
  Daily,
  Weekly,
  Monthly
}
