package dev.cdds.operator.testing;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.FreePorts;
import dev.cdds.localcluster.OperatorProcess;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.reconciler.OperatorRuntime;
import dev.cdds.operator.reconciler.OperatorSettings;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's own namespace on the shared control plane, ready for ExportJobs (CRDs installed,
 * the source Secret, the default claim), and the operator running in this JVM watching it:
 *
 * <pre>
 * {@literal @}RegisterExtension
 * static final OperatorExtension cluster = OperatorExtension.running("reconciler");
 * </pre>
 *
 * Tests that start and stop operators themselves (restarts, leader election) take the namespace
 * alone with {@link #namespaceOnly}.
 */
public final class OperatorExtension implements BeforeAllCallback, AfterAllCallback {
  private final String prefix;
  private final Optional<OperatorSettings> settings;
  private ControlPlane controlPlane;
  private String namespace;
  private OperatorRuntime operator;

  private OperatorExtension(String prefix, Optional<OperatorSettings> settings) {
    this.prefix = prefix;
    this.settings = settings;
  }

  /** The operator with the test settings: export pods run {@link FakeExport}. */
  public static OperatorExtension running(String prefix) {
    return running(prefix, OperatorUnderTest.settings());
  }

  public static OperatorExtension running(String prefix, OperatorSettings settings) {
    return new OperatorExtension(prefix, Optional.of(settings));
  }

  public static OperatorExtension namespaceOnly(String prefix) {
    return new OperatorExtension(prefix, Optional.empty());
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    controlPlane = ControlPlaneExtension.controlPlane(context);
    namespace = OperatorUnderTest.readyNamespace(controlPlane, prefix);
    if (settings.isPresent()) {
      operator = start(prefix, settings.get());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (operator != null) {
      operator.close();
    }
  }

  /** Another operator replica watching this namespace, under leader election. */
  public OperatorRuntime start(String identity, OperatorSettings settings) throws Exception {
    return OperatorUnderTest.start(client(), namespace, identity, settings);
  }

  public OperatorRuntime start(String identity) throws Exception {
    return start(identity, OperatorUnderTest.settings());
  }

  /**
   * A replica as its own process, from the built jar, with the test settings: one that can be
   * killed (SIGKILL) or frozen (SIGSTOP) as a real one can.
   */
  public OperatorProcess startProcess(String name) throws IOException {
    Path logs = Files.createDirectories(WorkDirectory.path().resolve("logs"));
    return OperatorProcess.start(
        Path.of(System.getProperty("cdds.operatorJar")),
        List.of(),
        List.of(
            "--export-image=" + FakeExport.IMAGE + ":test",
            "--namespaces=" + namespace,
            "--default-claim=" + OperatorUnderTest.CLAIM,
            "--backoff-limit=0",
            "--export-cpu-request=100m",
            "--export-memory=256Mi",
            "--leader-election-namespace=" + namespace,
            "--http-port=" + FreePorts.loopback()),
        controlPlane.kubeconfig(),
        logs.resolve(namespace + "_operator-" + name + ".log"),
        Map.of("POD_NAME", name));
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  public OperatorRuntime operator() {
    return operator;
  }

  public KubernetesClient client() {
    return controlPlane.client();
  }

  public String namespace() {
    return namespace;
  }

  public NonNamespaceOperation<ExportJob, KubernetesResourceList<ExportJob>, Resource<ExportJob>>
      jobs() {
    return client().resources(ExportJob.class).inNamespace(namespace);
  }

  /** The default claim's directory on the process node: where export pods write. */
  public Path claim() {
    return controlPlane.node().claimDirectory(namespace, OperatorUnderTest.CLAIM);
  }
}
