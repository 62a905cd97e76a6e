package dev.cdds.operator.runcontract;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How every entry point logs (the operator, the pods, {@code kubectl cdds}): one line per event on
 * stderr, since stdout is the output of the CLI commands ({@code kubectl cdds list -o json | jq}).
 * Text by default; {@code CDDS_LOG_FORMAT=json} makes each line a JSON object (timestamp, level,
 * logger, the formatted message and the MDC, which carries the ExportJob, namespace and run of the
 * event), for log pipelines. {@code CDDS_LOG_LEVEL} sets the level of our own loggers.
 *
 * <p>Set up in code, as logback's {@link Configurator} registered in the jar only (tests keep their
 * logback-test.xml): reading a logback.xml took a quarter of a second at every start of a pod or a
 * command.
 */
public final class Logging extends ContextAwareBase implements Configurator {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    // Logback's own status lines would end up in the output of kubectl cdds.
    context.getStatusManager().add(new NopStatusListener());
    Encoder<ILoggingEvent> encoder =
        "json".equals(System.getenv("CDDS_LOG_FORMAT")) ? json() : text(context);
    encoder.setContext(context);
    encoder.start();
    var stderr = new ConsoleAppender<ILoggingEvent>();
    stderr.setContext(context);
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
    context
        .getLogger("dev.cdds")
        .setLevel(Level.toLevel(System.getenv("CDDS_LOG_LEVEL"), Level.INFO));
    // "unstable version v1alpha1" on every client start: known, and no use to an operator.
    context
        .getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils")
        .setLevel(Level.ERROR);
    // When the API server goes away mid-watch, the JDK client refuses to echo its abnormal close
    // code (1006) and this logs a stack trace; the watch is re-established all the same
    // (ApiServerRestartIT).
    context
        .getLogger("io.fabric8.kubernetes.client.jdkhttp.JdkWebSocketImpl")
        .setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static Encoder<ILoggingEvent> json() {
    var json = new JsonEncoder();
    json.setWithSequenceNumber(false);
    json.setWithNanoseconds(false);
    json.setWithThreadName(false);
    json.setWithContext(false);
    json.setWithMessage(false);
    json.setWithArguments(false);
    json.setWithFormattedMessage(true);
    return json;
  }

  private static Encoder<ILoggingEvent> text(LoggerContext context) {
    var layout = new TextLayout();
    layout.setContext(context);
    layout.start();
    var encoder = new LayoutWrappingEncoder<ILoggingEvent>();
    encoder.setLayout(layout);
    return encoder;
  }

  /** {@code 2026-11-26T01:02:03.456Z WARN Logger message}, then the stack trace if any. */
  private static final class TextLayout extends LayoutBase<ILoggingEvent> {
    @Override
    public String doLayout(ILoggingEvent event) {
      String logger = event.getLoggerName();
      var line =
          new StringBuilder()
              .append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp())))
              .append(' ')
              .append(String.format("%-5s", event.getLevel()))
              .append(' ')
              .append(logger, logger.lastIndexOf('.') + 1, logger.length())
              .append(' ')
              .append(event.getFormattedMessage())
              .append(CoreConstants.LINE_SEPARATOR);
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
      }
      return line.toString();
    }
  }
}
