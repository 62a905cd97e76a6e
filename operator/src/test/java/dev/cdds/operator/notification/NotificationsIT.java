package dev.cdds.operator.notification;

import static dev.cdds.operator.testing.ExportJobs.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.localcluster.FreePorts;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.NotificationEndpoint;
import dev.cdds.operator.api.NotifyEvent;
import dev.cdds.operator.api.NotifyTarget;
import dev.cdds.operator.plugin.InProcessPlugin;
import dev.cdds.operator.reconciler.NotificationSettings;
import dev.cdds.operator.reconciler.OperatorRuntime;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorExtension;
import dev.cdds.operator.testing.OperatorUnderTest;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * spec.notify against the real control plane: the operator posts to a receiver in this test, as a
 * webhook (CloudEvents) or Slack would be posted to.
 */
class NotificationsIT {
  /** A URL is a secret of its own: none of this may show in status, Events or logs. */
  private static final String SECRET_PATH = "/hooks/t0ken-in-the-path";

  private static final String AUTHORIZATION = "Bearer n0t-for-l0gs";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.namespaceOnly("notify");

  private OperatorRuntime operator;

  @AfterEach
  void stop() throws Exception {
    if (operator != null) {
      stopOperator();
    }
    Files.deleteIfExists(cluster.claim().resolve("fail"));
  }

  @Test
  void aFailedRunIsOneCloudEventAndSlackIsToldWhatItAsked() throws Exception {
    var log = capturedLog();
    operator = cluster.start("notify-1");
    int port = FreePorts.loopback();
    try (var receiver = Receiver.on(port, () -> 202)) {
      secret("hooks", "http://127.0.0.1:" + port + SECRET_PATH, AUTHORIZATION);
      secret("slack", "http://127.0.0.1:" + port + "/slack", null);
      var job = ExportJobs.daily("told", "01:00", "UTC");
      var webhook = new NotifyTarget();
      webhook.webhook = new NotificationEndpoint("hooks");
      var slack = new NotifyTarget();
      slack.slack = new NotificationEndpoint("slack");
      slack.on = List.of(NotifyEvent.Succeeded, NotifyEvent.Failed);
      job.getSpec().notify = List.of(webhook, slack);
      cluster.jobs().resource(job).create();
      Instant day = Instant.now().truncatedTo(ChronoUnit.MINUTES);

      String succeeded =
          cluster.awaitRun("told", cluster.startScheduledRun("told", day.minus(Duration.ofDays(2))))
              .id;
      awaitDelivered("told", "slack/slack", succeeded + "-Succeeded");
      Files.createDirectories(cluster.claim());
      Files.writeString(cluster.claim().resolve("fail"), "");
      String failed =
          cluster.awaitRun("told", cluster.startScheduledRun("told", day.minus(Duration.ofDays(1))))
              .id;
      ExportJob told = awaitDelivered("told", "webhook/hooks", failed + "-Failed");
      awaitDelivered("told", "slack/slack", failed + "-Failed");

      var events = receiver.received(SECRET_PATH);
      assertThat(events).as("the success was not asked for by the webhook").hasSize(1);
      var event = events.get(0);
      assertThat(event.header("Content-Type")).isEqualTo("application/cloudevents+json");
      assertThat(event.header("Authorization")).isEqualTo(AUTHORIZATION);
      JsonNode cloudEvent = JSON.readTree(event.body());
      assertThat(cloudEvent.get("specversion").asText()).isEqualTo("1.0");
      assertThat(cloudEvent.get("type").asText()).isEqualTo("dev.cdds.exportjob.run.Failed");
      assertThat(cloudEvent.get("id").asText()).isEqualTo(failed + "-Failed");
      assertThat(cloudEvent.get("source").asText())
          .isEqualTo("/namespaces/" + cluster.namespace() + "/exportjobs/told");
      assertThat(cloudEvent.get("subject").asText()).isEqualTo(failed);
      JsonNode data = cloudEvent.get("data");
      assertThat(data.get("title").asText()).isEqualTo("Test told");
      assertThat(data.get("result").asText()).isEqualTo("Failed");
      assertThat(data.get("message").asText()).isEqualTo("the source database refused the query");
      assertThat(data.get("history").asText())
          .isEqualTo("kubectl cdds history told -n " + cluster.namespace());

      var slackMessages = receiver.received("/slack");
      assertThat(slackMessages).hasSize(2);
      assertThat(JSON.readTree(slackMessages.get(0).body()).get("text").asText())
          .startsWith(":white_check_mark: *Test told* (" + cluster.namespace() + "/told): run ")
          .contains("succeeded")
          .contains("Records: 42");
      assertThat(JSON.readTree(slackMessages.get(1).body()).get("text").asText())
          .startsWith(":x: *Test told*")
          .contains("failed")
          .contains("> the source database refused the query");
      assertThat(slackMessages.get(0).header("Authorization")).isNull();

      assertThat(hasCondition(told, "Notified", "True", "Delivered")).isTrue();
      assertThat(operator.scrape())
          .contains(
              "cdds_notifications_total{outcome=\"delivered\",result=\"Failed\",target_type=\"webhook\"} 1.0");
      var describe =
          new InProcessPlugin(cluster.controlPlane().kubeconfig(), cluster.namespace())
              .run("describe", "told");
      assertThat(describe.out())
          .contains("webhook/hooks")
          .contains("slack/slack")
          .contains(failed + "-Failed delivered");
      ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(log);
      assertNothingShows(
          port,
          log.list.stream().map(ILoggingEvent::getFormattedMessage).toList(),
          Serialization.asJson(told),
          describe.out(),
          describe.err());
    }
  }

  @Test
  void slackLinksToTheFilesOfARunInABucket() throws Exception {
    operator = cluster.start("notify-s3");
    int port = FreePorts.loopback();
    try (var receiver = Receiver.on(port, () -> 200)) {
      secret("slack-s3", "http://127.0.0.1:" + port + "/slack", null);
      secret(
          "bucket-keys",
          Map.of("accessKeyId", "AKIDEXAMPLE", "secretAccessKey", "s3cr3t-k3y-value"));
      var job = ExportJobs.daily("linked", "01:00", "UTC");
      job.getSpec().output = new dev.cdds.operator.api.Output();
      job.getSpec().output.destination = new dev.cdds.operator.api.Destination();
      var s3 = new dev.cdds.operator.api.S3Destination();
      s3.bucket = "team-exports";
      s3.endpoint = "http://127.0.0.1:9";
      s3.pathStyle = true;
      s3.secretRef = new dev.cdds.operator.api.SecretReference("bucket-keys");
      job.getSpec().output.destination.s3 = s3;
      var slack = new NotifyTarget();
      slack.slack = new NotificationEndpoint("slack-s3");
      slack.on = List.of(NotifyEvent.Succeeded);
      job.getSpec().notify = List.of(slack);
      cluster.jobs().resource(job).create();

      String run =
          cluster.awaitRun(
                  "linked",
                  cluster.startScheduledRun(
                      "linked", Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(600)))
              .id;
      ExportJob told = awaitDelivered("linked", "slack/slack-s3", run + "-Succeeded");

      String text = JSON.readTree(receiver.received("/slack").get(0).body()).get("text").asText();
      assertThat(text)
          .contains(
              "Files: <http://127.0.0.1:9/team-exports/"
                  + cluster.namespace()
                  + "/linked/"
                  + run
                  + "/manifest.json?")
          .contains("X-Amz-Signature=")
          .contains("X-Amz-Expires=604800")
          .doesNotContain("s3cr3t-k3y-value");
      assertThat(Serialization.asJson(told)).doesNotContain("X-Amz-Signature");
    }
  }

  @Test
  void aReceiverDownForThreeTriesGetsEachEventOnceAcrossAnOperatorRestart() throws Exception {
    operator = cluster.start("notify-2");
    int port = FreePorts.loopback();
    secret("down-then-up", "http://127.0.0.1:" + port + SECRET_PATH, null);
    var job = ExportJobs.daily("patient", "01:00", "UTC");
    var webhook = new NotifyTarget();
    webhook.webhook = new NotificationEndpoint("down-then-up");
    webhook.on = List.of(NotifyEvent.Succeeded);
    job.getSpec().notify = List.of(webhook);
    cluster.jobs().resource(job).create();
    String run =
        cluster.awaitRun(
                "patient",
                cluster.startScheduledRun(
                    "patient", Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(3600)))
            .id;

    await("patient", j -> attempts(j) >= 2);
    stopOperator();
    operator = cluster.start("notify-2-restarted");
    var third = await("patient", j -> attempts(j) >= 3).getStatus().notifications.pending.get(0);
    assertThat(third.lastError).isEqualTo("connection refused");
    try (var receiver = Receiver.on(port, () -> 204)) {
      awaitDelivered("patient", "webhook/down-then-up", run + "-Succeeded");

      assertThat(receiver.received(SECRET_PATH))
          .isNotEmpty()
          .allSatisfy(
              r ->
                  assertThat(JSON.readTree(r.body()).get("id").asText())
                      .isEqualTo(run + "-Succeeded"));
    }
  }

  @Test
  void aReceiverFailingForeverIsGivenUpLoudlyWhileOtherJobsGoOn() throws Exception {
    operator =
        cluster.start(
            "notify-3",
            OperatorUnderTest.settings()
                .withNotifications(
                    new NotificationSettings(Duration.ofSeconds(1), Duration.ofSeconds(8))));
    int port = FreePorts.loopback();
    var answering = new CountDownLatch(1);
    try (var receiver =
        Receiver.on(
            port,
            () -> {
              try {
                // Slow as well as broken: the operator must not wait for it.
                answering.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return 500;
            })) {
      secret("broken", "http://127.0.0.1:" + port + SECRET_PATH, null);
      var job = ExportJobs.daily("unheard", "01:00", "UTC");
      var webhook = new NotifyTarget();
      webhook.webhook = new NotificationEndpoint("broken");
      webhook.on = List.of(NotifyEvent.Succeeded);
      job.getSpec().notify = List.of(webhook);
      cluster.jobs().resource(job).create();
      cluster.startScheduledRun(
          "unheard", Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(7200));
      awaitReceived(receiver);

      cluster.jobs().resource(ExportJobs.daily("bystander", "01:00", "UTC")).create();
      cluster
          .jobs()
          .withName("bystander")
          .waitUntilCondition(
              j -> j != null && hasCondition(j, "Ready", "True", null), 10, TimeUnit.SECONDS);
      answering.countDown();

      ExportJob givenUp =
          await("unheard", j -> hasCondition(j, "Notified", "False", "DeliveryFailed"));
      assertThat(hasCondition(givenUp, "Notified", "False", null)).isTrue();
      assertThat(
              givenUp.getStatus().conditions.stream()
                  .filter(c -> c.type.equals("Notified"))
                  .findFirst()
                  .orElseThrow()
                  .message)
          .contains("was given up after")
          .contains("HTTP 500");
      assertThat(givenUp.getStatus().notifications.pending).isNull();
      var events =
          cluster.client().v1().events().inNamespace(cluster.namespace()).list().getItems().stream()
              .filter(e -> "NotificationFailed".equals(e.getReason()))
              .toList();
      assertThat(events)
          .singleElement()
          .satisfies(
              e -> assertThat(e.getMessage()).contains("HTTP 500").doesNotContain(SECRET_PATH));
      assertThat(operator.scrape())
          .contains(
              "cdds_notifications_total{outcome=\"failed\",result=\"Succeeded\",target_type=\"webhook\"} 1.0");
    }
  }

  /**
   * Stops the operator as a pod that is replaced does, and lets the next one lead at once: the
   * closed operator keeps its Lease until it expires, which would only make each test wait.
   */
  private void stopOperator() {
    operator.close();
    operator = null;
    cluster
        .client()
        .resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class)
        .inNamespace(cluster.namespace())
        .withName(OperatorRuntime.LEASE_NAME)
        .delete();
  }

  private static void awaitReceived(Receiver receiver) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !receiver.received(SECRET_PATH).isEmpty());
  }

  private static int attempts(ExportJob job) {
    var n = job.getStatus().notifications;
    return n == null || n.pending == null || n.pending.isEmpty() ? 0 : n.pending.get(0).attempts;
  }

  private void assertNothingShows(int port, List<String> log, String... texts) {
    var all = new ArrayList<>(List.of(texts));
    cluster.client().v1().events().inNamespace(cluster.namespace()).list().getItems().stream()
        .map(e -> e.getMessage())
        .forEach(all::add);
    all.addAll(log);
    assertThat(all)
        .isNotEmpty()
        .allSatisfy(
            text ->
                assertThat(text)
                    .doesNotContain(SECRET_PATH, "t0ken", AUTHORIZATION, "127.0.0.1:" + port));
  }

  /** Every line the operator (this JVM) logs until the test ends. */
  private static ListAppender<ILoggingEvent> capturedLog() {
    var appender = new ListAppender<ILoggingEvent>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(appender);
    return appender;
  }

  private static void secret(String name, String url, String authorization) {
    var data = new java.util.HashMap<String, String>(Map.of("url", url));
    if (authorization != null) {
      data.put("authorization", authorization);
    }
    secret(name, data);
  }

  private static void secret(String name, Map<String, String> data) {
    cluster
        .client()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withStringData(data)
                .build())
        .inNamespace(cluster.namespace())
        .create();
  }

  private static ExportJob awaitDelivered(String job, String target, String id) {
    return await(
        job,
        j ->
            j.getStatus().notifications != null
                && j.getStatus().notifications.last != null
                && j.getStatus().notifications.last.stream()
                    .anyMatch(
                        d ->
                            d.target.equals(target)
                                && d.id.equals(id)
                                && "Delivered".equals(d.outcome)));
  }

  private static ExportJob await(String name, Predicate<ExportJob> condition) {
    return cluster
        .jobs()
        .withName(name)
        .waitUntilCondition(
            j -> j != null && j.getStatus() != null && condition.test(j), 120, TimeUnit.SECONDS);
  }
}
