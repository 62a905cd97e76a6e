package dev.cdds.operator.runcontract;

/**
 * The environment the operator gives export and prune pods, and the paths it mounts: the whole
 * interface of a pod, since the pods read nothing else of their ExportJob.
 */
public final class PodEnv {
  public static final String EXPORTJOB = "CDDS_EXPORTJOB";
  public static final String EXPORTJOB_UID = "CDDS_EXPORTJOB_UID";
  public static final String NAMESPACE = "CDDS_NAMESPACE";

  /** The run id, which is the name of the pod's Job. */
  public static final String RUN_ID = "CDDS_RUN_ID";

  /** The ExportJob's spec as JSON, frozen when the Job was made. */
  public static final String SPEC = "CDDS_SPEC";

  /**
   * Set on a rerun ({@code kubectl cdds rerun}): the exact window to export again, RFC 3339,
   * instead of the one the schedule gives.
   */
  public static final String WINDOW_START = "CDDS_WINDOW_START";

  public static final String WINDOW_END = "CDDS_WINDOW_END";

  public static final String TERMINATION_LOG = "CDDS_TERMINATION_LOG";
  public static final String SOURCE_URL = "CDDS_SOURCE_URL";
  public static final String SOURCE_USER = "CDDS_SOURCE_USER";
  public static final String SOURCE_PASSWORD = "CDDS_SOURCE_PASSWORD";
  public static final String SOURCE_NAMES = "CDDS_SOURCE_NAMES";
  public static final String ENCRYPTION_CERTIFICATE = "CDDS_ENCRYPTION_CERTIFICATE";

  /** Set when the destination is a claim: where it is mounted. */
  public static final String OUTPUT_DIR = "CDDS_OUTPUT_DIR";

  public static final String S3_ACCESS_KEY_ID = "CDDS_S3_ACCESS_KEY_ID";
  public static final String S3_SECRET_ACCESS_KEY = "CDDS_S3_SECRET_ACCESS_KEY";

  /**
   * The pod's partition in a partitioned run (spec.output.parallelism above 1): its index in the
   * Indexed Job, which the Job controller sets.
   */
  public static final String PARTITION_INDEX = "JOB_COMPLETION_INDEX";

  /**
   * The exit code of a pod whose failure ends the whole run: the Job's pod failure policy fails the
   * Job on it instead of retrying the pod.
   */
  public static final int EXIT_ENDS_RUN = 3;

  /** kubelet's default path of the termination message, where the operator points it. */
  public static final String TERMINATION_LOG_PATH = "/dev/termination-log";

  /** Where a claim destination is mounted. */
  public static final String OUTPUT_MOUNT = "/export";

  private PodEnv() {}
}
