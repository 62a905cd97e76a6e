package dev.cdds.operator.plugin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The plugin's logging, set up in code: the same lines on stderr as logback.xml gives the other
 * entry points, without parsing XML at every start of a short command (a fifth of the classes
 * {@code kubectl cdds list} loaded). The other entry points keep logback.xml.
 */
public final class PluginLogging extends ContextAwareBase implements Configurator {
  /** Set by {@link PluginMain} before anything logs. */
  static final String PROPERTY = "cdds.plugin";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (!Boolean.getBoolean(PROPERTY)) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    var layout = new TextLayout();
    layout.setContext(context);
    layout.start();
    var encoder = new LayoutWrappingEncoder<ILoggingEvent>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    var stderr = new ConsoleAppender<ILoggingEvent>();
    stderr.setContext(context);
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
    String level = System.getenv("CDDS_LOG_LEVEL");
    context.getLogger("dev.cdds").setLevel(Level.toLevel(level, Level.INFO));
    // As in logback.xml: known, and no use to a person.
    context
        .getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils")
        .setLevel(Level.ERROR);
    context
        .getLogger("io.fabric8.kubernetes.client.jdkhttp.JdkWebSocketImpl")
        .setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** {@code 2026-11-26T01:02:03.456Z WARN Logger message}, as logback.xml's text appender. */
  private static final class TextLayout extends LayoutBase<ILoggingEvent> {
    @Override
    public String doLayout(ILoggingEvent event) {
      String logger = event.getLoggerName();
      return Instant.ofEpochMilli(event.getTimeStamp()).truncatedTo(ChronoUnit.MILLIS)
          + " "
          + String.format("%-5s", event.getLevel())
          + " "
          + logger.substring(logger.lastIndexOf('.') + 1)
          + " "
          + event.getFormattedMessage()
          + System.lineSeparator();
    }
  }
}
