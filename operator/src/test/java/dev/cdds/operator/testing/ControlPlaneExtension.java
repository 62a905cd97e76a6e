package dev.cdds.operator.testing;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.ImageLaunchers;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the {@link ControlPlane} once for the whole test run (it is stopped when JUnit closes its
 * root store) and injects it, or its admin {@link KubernetesClient}, into tests.
 */
public final class ControlPlaneExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(ControlPlaneExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    controlPlane(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == ControlPlane.class || type == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ControlPlane controlPlane = controlPlane(context);
    return parameter.getParameter().getType() == ControlPlane.class
        ? controlPlane
        : controlPlane.client();
  }

  static ControlPlane controlPlane(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(STORE)
        .getOrComputeIfAbsent(
            ControlPlane.class,
            key -> {
              try {
                return ControlPlane.start(
                    new ImageLaunchers()
                        .asProcess(
                            FakeExport.IMAGE,
                            List.of(
                                "java",
                                "-cp",
                                System.getProperty("java.class.path"),
                                FakeExport.class.getName())));
              } catch (Exception e) {
                throw new IllegalStateException("the control plane did not start", e);
              }
            },
            ControlPlane.class);
  }
}
