package dev.cdds.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.operator.api.CurrentRun;
import dev.cdds.operator.api.ExportJobState;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.NotificationDelivery;
import dev.cdds.operator.api.NotificationStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusPatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void neverNamesTheExportPodsProgressFields() throws Exception {
    var status = new ExportJobStatus();
    status.state = ExportJobState.Running;
    status.currentRun = new CurrentRun();
    status.currentRun.id = "daily-1";
    status.currentRun.scheduledAt = "2026-11-23T02:00:00Z";
    status.currentRun.progress = 50;
    status.currentRun.recordsDone = 21L;
    status.currentRun.bytes = 1000L;

    JsonNode run = JSON.readTree(StatusPatch.of(status)).get("status").get("currentRun");

    assertThat(run.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("id", "scheduledAt", "queued", "startedAt");
    assertThat(run.get("startedAt").isNull()).isTrue();
  }

  @Test
  void removesWhatTheOperatorNoLongerWantsAndTheEndedRun() throws Exception {
    var status = new ExportJobStatus();
    status.state = ExportJobState.Suspended;

    JsonNode patch = JSON.readTree(StatusPatch.of(status)).get("status");

    assertThat(patch.get("state").asText()).isEqualTo("Suspended");
    for (String removed : new String[] {"nextStartsAt", "currentRun", "history", "lastStartedAt"}) {
      assertThat(patch.get(removed).isNull()).as(removed).isTrue();
    }
  }

  @Test
  void aDeliveredNotificationLeavesTheListOfPendingOnes() throws Exception {
    var status = new ExportJobStatus();
    status.notifications = new NotificationStatus();
    status.notifications.last = List.of(new NotificationDelivery());

    JsonNode notifications =
        JSON.readTree(StatusPatch.of(status)).get("status").get("notifications");

    assertThat(notifications.get("pending").isNull()).isTrue();
    assertThat(notifications.get("last").isArray()).isTrue();
  }

  @Test
  void progressAloneIsNoReasonToWrite() {
    var operatorView = new ExportJobStatus();
    operatorView.currentRun = new CurrentRun();
    operatorView.currentRun.id = "daily-1";
    var stored = new ExportJobStatus();
    stored.currentRun = new CurrentRun();
    stored.currentRun.id = "daily-1";
    stored.currentRun.progress = 75;

    assertThat(StatusPatch.operatorFields(stored))
        .isEqualTo(StatusPatch.operatorFields(operatorView));
  }
}
