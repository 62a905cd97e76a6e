package dev.cdds.operator.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import java.net.URI;
import java.time.ZoneOffset;

/**
 * A notification as a CloudEvents 1.0 event in structured JSON mode: {@code type}
 * dev.cdds.exportjob.run.&lt;event&gt;, {@code source} the job's API path, {@code id} the run and
 * the event, {@code data} the run's facts.
 */
public final class CloudEventBody {
  public static final String CONTENT_TYPE = JsonFormat.CONTENT_TYPE;
  public static final String TYPE_PREFIX = "dev.cdds.exportjob.run.";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EventFormat FORMAT =
      EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

  private CloudEventBody() {}

  public static byte[] of(Notification n) {
    var event =
        CloudEventBuilder.v1()
            .withId(n.id())
            .withType(TYPE_PREFIX + n.event().name())
            .withSource(URI.create("/namespaces/" + n.namespace() + "/exportjobs/" + n.exportJob()))
            .withSubject(n.runId())
            .withTime(n.since().atOffset(ZoneOffset.UTC))
            .withData("application/json", data(n))
            .build();
    return FORMAT.serialize(event);
  }

  private static byte[] data(Notification n) {
    ObjectNode data = JSON.createObjectNode();
    data.put("namespace", n.namespace());
    data.put("exportJob", n.exportJob());
    data.put("title", n.title());
    data.put("event", n.event().name());
    data.put("run", n.runId());
    n.run()
        .ifPresent(
            run -> {
              data.put("result", run.result == null ? null : run.result.name());
              data.put("scheduledAt", run.scheduledAt);
              data.put("startedAt", run.startedAt);
              data.put("finishedAt", run.finishedAt);
              ObjectNode window = data.putObject("window");
              window.put("start", run.windowStart);
              window.put("end", run.windowEnd);
              data.put("records", run.records);
              data.put("skippedRecords", run.skippedRecords);
              data.put("bytes", run.bytes);
              data.put("files", run.files);
              data.put("manifest", run.manifest);
              data.put("message", run.message);
              if (run.gapStart != null) {
                ObjectNode gap = data.putObject("gap");
                gap.put("start", run.gapStart);
                gap.put("end", run.gapEnd);
              }
            });
    data.put("history", "kubectl cdds history " + n.exportJob() + " -n " + n.namespace());
    return data.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
