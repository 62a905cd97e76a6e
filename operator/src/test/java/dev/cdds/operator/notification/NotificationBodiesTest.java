package dev.cdds.operator.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.operator.api.NotifyEvent;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NotificationBodiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aRunStoppedAtItsDeadlineIsThatEventAndAGapIsOneMore() {
    var run = new RunRecord();
    run.result = RunResult.Failed;
    run.reason = "DeadlineExceeded";
    run.gapStart = "2026-11-20T00:00:00Z";

    assertThat(Notification.eventsOf(run))
        .containsExactly(NotifyEvent.DeadlineExceeded, NotifyEvent.GapDetected);
  }

  @Test
  void aTitleIsTextInSlackAndJsonInTheCloudEvent() throws Exception {
    var run = new RunRecord();
    run.id = "daily-29926658";
    run.result = RunResult.Failed;
    run.message = "<@channel> & more";
    run.manifest = "s3://b/ns/daily/daily-29926658/manifest.json";
    var n =
        new Notification(
            "ns",
            "daily",
            "<script>alert(1)</script>",
            NotifyEvent.Failed,
            run.id,
            Optional.of(run),
            Instant.parse("2026-11-26T02:03:11Z"),
            Optional.empty());

    String slack = JSON.readTree(SlackMessage.of(n)).get("text").asText();
    var event = JSON.readTree(CloudEventBody.of(n));

    assertThat(slack)
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("&lt;@channel&gt; &amp; more")
        .doesNotContain("<script>");
    assertThat(event.get("time").asText()).isEqualTo("2026-11-26T02:03:11Z");
    var linked =
        new Notification(
            "ns",
            "daily",
            "t",
            NotifyEvent.Failed,
            run.id,
            Optional.of(run),
            Instant.parse("2026-11-26T02:03:11Z"),
            Optional.of(
                "https://s3.example/b/ns/daily/daily-29926658/manifest.json?X-Amz-Signature=a&b=c"));
    assertThat(JSON.readTree(SlackMessage.of(linked)).get("text").asText())
        .contains(
            "Files: <https://s3.example/b/ns/daily/daily-29926658/manifest.json?X-Amz-Signature=a&amp;b=c"
                + "|s3://b/ns/daily/daily-29926658/manifest.json>");
    assertThat(event.get("data").get("title").asText()).isEqualTo("<script>alert(1)</script>");
  }

  @Test
  void onlyAnHttpUrlWithAHostIsPostedToAndTheErrorNeverQuotesIt() {
    for (String url : new String[] {"file:///etc/passwd", "ftp://x/y", "https:/no-host", "::"}) {
      assertThatThrownBy(() -> Delivery.to(url, Optional.empty(), "a/b", new byte[0]))
          .isInstanceOf(IllegalArgumentException.class)
          .message()
          .doesNotContain(url);
    }
  }
}
