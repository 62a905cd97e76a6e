package dev.cdds.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.localcluster.CommandResult;
import dev.cdds.localcluster.Kubectl;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.api.Schedule;
import dev.cdds.operator.entrypoint.Main;
import dev.cdds.operator.plugin.InProcessPlugin.Result;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorExtension;
import dev.cdds.operator.testing.TerminalSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl cdds} against the real control plane, with the operator and the process node
 * running fake exports: what each command prints, and how each refusal exits.
 */
class KubectlPluginIT {
  @RegisterExtension static final OperatorExtension cluster = OperatorExtension.running("plugin");

  private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\dZ";

  @Test
  void kubectlFindsTheInstalledPluginAndPassesItsFlags() throws Exception {
    cluster.jobs().resource(job("via-kubectl", RunMode.Daily, "Via kubectl")).create();
    Path installed = Path.of(System.getProperty("cdds.operatorJar")).resolveSibling("kubectl-cdds");
    var kubectl = new Kubectl(cluster.controlPlane()).withPluginsFrom(installed.getParent());

    CommandResult listed = kubectl.run("cdds", "list", "-n", cluster.namespace());
    CommandResult plugins = kubectl.run("plugin", "list");

    assertThat(plugins.stdout()).contains(installed.toString());
    assertThat(listed.exitCode()).as(listed.stderr()).isZero();
    assertThat(listed.stdout()).startsWith("NAME ").contains("via-kubectl");
  }

  /**
   * The launcher's start-up, as a person meets it through kubectl: help makes no class archive, the
   * first list makes one in the person's cache, the next list runs from it, and a list loads none
   * of the operator's, exporter's, storage's, metrics' or S3 classes.
   */
  @Test
  void listKeepsAClassArchiveForNextTimeAndLoadsOnlyWhatItNeeds(@TempDir Path cache)
      throws Exception {
    cluster.jobs().resource(job("quick-start", RunMode.Daily, "Quick start")).create();
    Path installed = Path.of(System.getProperty("cdds.operatorJar")).resolveSibling("kubectl-cdds");
    Path loaded = cache.resolve("classes.log");
    var kubectl =
        new Kubectl(cluster.controlPlane())
            .withPluginsFrom(installed.getParent())
            .withEnvironment(Map.of("XDG_CACHE_HOME", cache.toString()));
    var logged =
        kubectl.withEnvironment(
            Map.of(
                "CDDS_JAVA_OPTS",
                "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:class+load:file=" + loaded));

    CommandResult help = kubectl.run("cdds", "--help");
    List<Path> afterHelp = archives(cache);
    CommandResult first = kubectl.run("cdds", "list", "-n", cluster.namespace());
    List<Path> afterList = archives(cache);
    CommandResult second = logged.run("cdds", "list", "-n", cluster.namespace());

    assertThat(help.exitCode()).isZero();
    assertThat(afterHelp).as("help makes no archive").isEmpty();
    assertThat(first.exitCode()).as(first.stderr()).isZero();
    assertThat(afterList).as("the first list makes one").hasSize(1);
    assertThat(second.exitCode()).as(second.stderr()).isZero();
    assertThat(second.stdout()).contains("quick-start");
    List<String> classes = Files.readAllLines(loaded);
    assertThat(classes)
        .as("the second list runs from the archive")
        .filteredOn(line -> line.contains(" dev.cdds.operator.plugin.ListCommand "))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("shared objects file");
    assertThat(classes)
        .as("classes a list has no use for")
        .noneMatch(
            line ->
                line.matches(
                    ".* (dev\\.cdds\\.operator\\.(entrypoint|reconciler|exporter|storage|retention"
                        + "|notification)|io\\.micrometer|io\\.javaoperatorsdk|software\\.amazon"
                        + "|org\\.postgresql|org\\.bouncycastle)\\..*"));
  }

  private static List<Path> archives(Path cache) throws IOException {
    Path dir = cache.resolve("cdds");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith("jsa")).toList();
    }
  }

  @Test
  void createsFromFlagsWithTheServersMessagesAndDryRunPrintsWithoutStoring() {
    Result created =
        cdds(
            "create",
            "nightly",
            "--title=Nightly chats",
            "--type=Interaction",
            "--media-types=chat,email",
            "--run=Daily",
            "--time=02:30",
            "--timeframe=LastDay");
    Result invalid =
        cdds("create", "broken", "--title=Broken", "--type=Interaction", "--run=Hourly");
    Result infoMart = cdds("create", "im", "--title=IM", "--source=InfoMart", "--type=Interaction");
    Result dryRun =
        cdds(
            "create",
            "gitops",
            "--title=For the repo",
            "--type=Event",
            "--source=IWD",
            "--run=Weekly",
            "--day-of-week=Friday",
            "--time=23:00",
            "--dry-run");

    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).isEqualTo("exportjob.cdds.dev/nightly created\n");
    assertThat(cluster.jobs().withName("nightly").get().getSpec().source.mediaTypes)
        .containsExactly("chat", "email");
    assertThat(invalid.exit()).isEqualTo(1);
    assertThat(invalid.err())
        .startsWith("error: ")
        .contains("everyHours is required when run is Hourly")
        .hasLineCount(1);
    assertThat(infoMart.exit()).isEqualTo(1);
    assertThat(infoMart.err()).contains("Info Mart exports are not supported");
    assertThat(dryRun.exit()).as(dryRun.err()).isZero();
    assertThat(dryRun.out())
        .contains("apiVersion: \"cdds.dev/v1alpha1\"")
        .contains("kind: \"ExportJob\"")
        .contains("dayOfWeek: \"Friday\"");
    assertThat(cluster.jobs().withName("gitops").get()).as("a dry run stores nothing").isNull();
  }

  @Test
  void listShowsTheJobsTableAndJsonForScripts() throws Exception {
    cluster.jobs().resource(job("list-daily", RunMode.Daily, "Daily contacts")).create();
    cluster.jobs().resource(job("list-weekly", RunMode.Weekly, "Weekly contacts")).create();
    awaitJob("list-weekly", j -> j.getStatus() != null && j.getStatus().nextStartsAt != null);
    awaitJob("list-daily", j -> j.getStatus() != null && j.getStatus().nextStartsAt != null);

    Result table = cdds("list", "-n", cluster.namespace(), "--search", "list-");
    Result json = cdds("list", "-o", "json");

    assertThat(table.exit()).isZero();
    assertThat(normalized(onlyRows(table.out(), "NAME", "list-"))).isEqualTo(golden("list.txt"));
    assertThat(table.out()).doesNotContain("\u001b[");
    List<String> names = new ArrayList<>();
    new ObjectMapper()
        .readTree(json.out())
        .path("items")
        .forEach(item -> names.add(item.path("metadata").path("name").asText()));
    assertThat(json.exit()).as(json.err()).isZero();
    assertThat(names).as(json.out()).contains("list-daily", "list-weekly");
  }

  @Test
  void listFiltersSearchesAndSortsAsTheJobsPageDoes() throws Exception {
    var contacts = job("f-contacts", RunMode.Daily, "Contacts for Sales");
    var paused = job("f-paused", RunMode.Weekly, "A paused export");
    paused.getSpec().suspend = true;
    var events = job("f-events", RunMode.Daily, "Work items");
    events.getSpec().source.system = "IWD";
    events.getSpec().source.type = dev.cdds.operator.api.SourceType.Event;
    for (var job : List.of(contacts, paused, events)) {
      var created = cluster.jobs().resource(job).create();
      awaitJob(
          job.getMetadata().getName(),
          j -> j.getStatus() != null && j.getStatus().activity != null);
      // Creation times have whole seconds: the next job is created a second later.
      var second = java.time.Instant.parse(created.getMetadata().getCreationTimestamp());
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(3))
          .until(() -> java.time.Instant.now().isAfter(second.plusSeconds(1)));
    }

    assertThat(names(cdds("list", "--source", "iwd"))).containsExactly("f-events");
    assertThat(names(cdds("list", "--type", "Contact", "--status", "suspended")))
        .containsExactly("f-paused");
    assertThat(names(cdds("list", "--search", "SALES"))).containsExactly("f-contacts");
    assertThat(names(cdds("list", "--search", "f-", "--sort", "title")))
        .containsExactly("f-paused", "f-contacts", "f-events");
    assertThat(names(cdds("list", "--search", "f-", "--sort", "created")).get(0))
        .isEqualTo("f-events");
    Result json = cdds("list", "--status", "Suspended", "--search", "f-", "-o", "json");
    assertThat(new ObjectMapper().readTree(json.out()).path("items"))
        .extracting(item -> item.path("metadata").path("name").asText())
        .containsExactly("f-paused");
    Result wrong = cdds("list", "--sort", "size");
    assertThat(wrong.exit()).isNotZero();
    assertThat(wrong.err()).contains("--sort must be name, title, created, last or next, not size");
  }

  /** The names of the f- jobs in a table, in their order. */
  private static List<String> names(Result table) {
    assertThat(table.exit()).as(table.err()).isZero();
    return table
        .out()
        .lines()
        .skip(1)
        .map(l -> l.split(" ")[0])
        .filter(n -> n.startsWith("f-"))
        .toList();
  }

  @Test
  void tabCompletesCommandsAndJobNamesFromTheClusterInKubectlAndInBash() throws Exception {
    cluster.jobs().resource(job("comp-one", RunMode.Daily, "One")).create();
    cluster.jobs().resource(job("comp-two", RunMode.Daily, "Two")).create();
    Path installed = Path.of(System.getProperty("cdds.operatorJar")).resolveSibling("kubectl-cdds");
    var kubectl = new Kubectl(cluster.controlPlane()).withPluginsFrom(installed.getParent());

    // What kubectl's own completion script asks when a person presses TAB after `kubectl cdds`.
    CommandResult commands = kubectl.run("__complete", "cdds", "des");
    CommandResult names =
        kubectl.run("__complete", "cdds", "describe", "-n", cluster.namespace(), "comp-");
    CommandResult afterFiles =
        kubectl.run("__complete", "cdds", "files", "-n", cluster.namespace(), "");
    CommandResult afterFilesDelete =
        kubectl.run("__complete", "cdds", "files", "delete", "-n", cluster.namespace(), "comp-o");
    CommandResult bash =
        CommandResult.run(
            List.of(
                "bash",
                "-c",
                "source <(kubectl-cdds completion bash)\n"
                    + "COMP_WORDS=(kubectl-cdds suspend -n "
                    + cluster.namespace()
                    + " comp-one comp-t); COMP_CWORD=5; _kubectl_cdds\n"
                    + "printf '%s\\n' \"${COMPREPLY[@]}\""),
            Map.of(
                "PATH",
                installed.getParent() + ":" + System.getenv("PATH"),
                "KUBECONFIG",
                cluster.controlPlane().kubeconfig().toString()));

    assertThat(commands.exitCode()).as(commands.stderr()).isZero();
    assertThat(commands.stdout().lines()).contains("describe").doesNotContain("list");
    assertThat(names.stdout().lines()).contains("comp-one", "comp-two");
    assertThat(afterFiles.stdout().lines()).contains("delete", "comp-one", "comp-two");
    assertThat(afterFilesDelete.stdout().lines()).containsExactly("comp-one", ":4");
    assertThat(bash.exitCode()).as(bash.stderr()).isZero();
    assertThat(bash.stdout()).isEqualTo("comp-two\n");
    assertThat(cdds("--help").out()).contains("completion");
  }

  @Test
  void historyListsEveryJobsRunsFilteredAndOneRunInDetail() throws Exception {
    var ok = ExportJobs.once("hist-ok");
    ok.getSpec().title = "History page ok";
    cluster.jobs().resource(ok).create();
    awaitJob("hist-ok", j -> j.getStatus() != null && j.getStatus().history != null);
    Files.createDirectories(cluster.claim());
    Files.writeString(cluster.claim().resolve("fail"), "");
    try {
      var bad = ExportJobs.once("hist-bad");
      bad.getSpec().title = "History page bad";
      cluster.jobs().resource(bad).create();
      awaitJob("hist-bad", j -> j.getStatus() != null && j.getStatus().history != null);
    } finally {
      Files.delete(cluster.claim().resolve("fail"));
    }
    String failedRun = cluster.jobs().withName("hist-bad").get().getStatus().history.get(0).id;

    Result all = cdds("history", "--search", "History page");
    Result failed = cdds("history", "--search", "History page", "--result", "failed");
    Result future = cdds("history", "--search", "History page", "--since", "2099-01-01T00:00:00Z");
    Result recent = cdds("history", "--search", "History page", "--since", "1h");
    Result detail = cdds("history", "hist-bad", "--run", failedRun);

    assertThat(all.exit()).as(all.err()).isZero();
    assertThat(all.out().lines().toList())
        .first()
        .asString()
        .startsWith("JOB ")
        .contains("RUN", "RESULT");
    assertThat(all.out().lines().skip(1).map(l -> l.split(" ")[0]))
        .containsExactly("hist-bad", "hist-ok");
    assertThat(failed.out().lines().skip(1).map(l -> l.split(" ")[0])).containsExactly("hist-bad");
    assertThat(future.out()).isEqualTo("No runs yet.\n");
    assertThat(recent.out().lines().skip(1)).hasSize(2);
    assertThat(detail.exit()).as(detail.err()).isZero();
    assertThat(detail.out())
        .startsWith(
            "Run:       " + failedRun + "\nJob:       " + cluster.namespace() + "/hist-bad\n")
        .contains("Result:    Failed")
        .contains("Trigger:   schedule")
        .contains("Message:   the source database refused the query");
    assertThat(cdds("history", "--run", failedRun).err()).contains("--run needs the job's NAME");
  }

  @Test
  void createAsksForWhatIsMissingOnATerminalWithTheChoicesShown() throws Exception {
    Path installed = Path.of(System.getProperty("cdds.operatorJar")).resolveSibling("kubectl-cdds");
    try (var terminal =
        TerminalSession.start(
            installed + " create typed -n " + cluster.namespace(),
            Map.of("KUBECONFIG", cluster.controlPlane().kubeconfig().toString()))) {
      answer(terminal, "Title: ", "Typed in a terminal");
      answer(terminal, "Type (Interaction, Contact, Event) [Interaction]: ", "contact");
      answer(terminal, "Run (Once, Hourly, Daily, Weekly, Monthly) [Once]: ", "weekly");
      answer(
          terminal,
          "Day (Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday) [Monday]: ",
          "Friday");
      answer(terminal, "At time (HH:MM) [00:00]: ", "25:00");
      // Refused, and asked again.
      answer(terminal, "25:00\n  expected HH:MM\nAt time (HH:MM) [00:00]: ", "23:30");
      answer(terminal, "Time zone (IANA, such as Europe/Paris) [UTC]: ", "");
      answer(terminal, "[now]: ", "");
      answer(terminal, "End (never, or a date-time) [never]: ", "");
      answer(terminal, "Format (jsonl, csv) [jsonl]: ", "csv");
      answer(terminal, "Split files at (a size such as 256Mi, or none) [none]: ", "256Mi");
      answer(terminal, "(empty: the operator's default destination): ", "");
      terminal.awaitScreen(
          "the job created", WAIT, s -> s.contains("exportjob.cdds.dev/typed created"));
    }

    var spec = cluster.jobs().withName("typed").get().getSpec();
    assertThat(spec.title).isEqualTo("Typed in a terminal");
    assertThat(spec.source.type).isEqualTo(dev.cdds.operator.api.SourceType.Contact);
    assertThat(spec.schedule.run).isEqualTo(RunMode.Weekly);
    assertThat(spec.schedule.dayOfWeek).isEqualTo(dev.cdds.operator.api.Weekday.Friday);
    assertThat(spec.schedule.time).isEqualTo("23:30");
    assertThat(spec.schedule.timeZone).isEqualTo("UTC");
    assertThat(spec.schedule.startImmediately).isTrue();
    assertThat(spec.output.format).isEqualTo(dev.cdds.operator.api.OutputFormat.CSV);
    assertThat(spec.output.fileSplitSize).hasToString("256Mi");
  }

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Waits for {@code prompt} at the end of the screen, then types the answer and Enter. */
  private static void answer(TerminalSession terminal, String prompt, String text)
      throws Exception {
    terminal.awaitScreen(prompt, WAIT, s -> s.stripTrailing().endsWith(prompt.stripTrailing()));
    terminal.typeLine(text);
  }

  @Test
  void aTitleWithEscapeSequencesIsShownNotObeyed() {
    String hostile = "Harmless\u001b]0;owned\u0007\u001b[2J\u001b[1A\u202eevil";
    var job = job("escapes", RunMode.Daily, hostile);
    job.getSpec().description = "two\nlines\u001b[8m hidden";
    cluster.jobs().resource(job).create();
    awaitJob("escapes", j -> j.getStatus() != null && j.getStatus().state != null);

    Result listed = cdds("list", "-A");
    Result described = cdds("describe", "escapes");

    // Other test classes' namespaces are listed too: only this job's row is this test's concern.
    assertThat(listed.err()).doesNotContain("exportjob.cdds.dev/escapes ");
    assertThat(described.exit()).as(described.err()).isZero();
    assertThat(listed.out() + described.out())
        .doesNotContain("\u001b", "\u0007", "\u202e")
        .contains("Harmless\\u001b]0;owned\\u0007\\u001b[2J\\u001b[1A\\u202eevil");
    assertThat(described.out()).contains("two\nlines\\u001b[8m hidden\n");
  }

  @Test
  void cloneCopiesTheSpecUnderANewNameWithOverridesAndNoStatus() {
    cluster.jobs().resource(job("clone-src", RunMode.Monthly, "Monthly")).create();
    awaitJob("clone-src", j -> j.getStatus() != null && j.getStatus().state != null);

    Result cloned = cdds("clone", "clone-src", "clone-new", "--title=Monthly, copy", "--suspend");
    Result missing = cdds("clone", "no-such-job", "x");

    assertThat(cloned.exit()).as(cloned.err()).isZero();
    assertThat(cloned.out())
        .isEqualTo("exportjob.cdds.dev/clone-new created (clone of clone-src)\n");
    ExportJob copy = cluster.jobs().withName("clone-new").get();
    ExportJob original = cluster.jobs().withName("clone-src").get();
    assertThat(copy.getSpec().title).isEqualTo("Monthly, copy");
    assertThat(copy.getSpec().suspend).isTrue();
    assertThat(copy.getSpec().schedule.dayOfMonth)
        .isEqualTo(original.getSpec().schedule.dayOfMonth);
    assertThat(copy.getSpec().source.type).isEqualTo(original.getSpec().source.type);
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err())
        .isEqualTo(
            "error: exportjob no-such-job not found in namespace " + cluster.namespace() + "\n");
  }

  @Test
  void cloningARunOneTimeJobWarnsOrTakesANewWindow() {
    var once = ExportJobs.once("clone-once");
    once.getSpec().suspend = true;
    cluster.jobs().resource(once).create();
    var ran = ExportJobs.once("clone-ran");
    cluster.jobs().resource(ran).create();
    awaitJob("clone-ran", j -> j.getStatus() != null && j.getStatus().history != null);

    Result again = cdds("clone", "clone-ran", "clone-again", "--suspend");
    Result window =
        cdds(
            "clone",
            "clone-ran",
            "clone-window",
            "--suspend",
            "--start=2026-10-01T00:00:00Z",
            "--end=2026-11-01T00:00:00Z");
    Result later = cdds("clone", "clone-once", "clone-later", "--start-at=2099-01-01T00:00:00Z");
    Result half = cdds("clone", "clone-ran", "clone-half", "--start=2026-10-01T00:00:00Z");

    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.err())
        .isEqualTo(
            "warning: clone-ran has already run: clone-again exports the same window again"
                + " (--start and --end choose another)\n");
    assertThat(window.exit()).as(window.err()).isZero();
    assertThat(window.err()).isEmpty();
    var timeframe = cluster.jobs().withName("clone-window").get().getSpec().timeframe;
    assertThat(timeframe.type).isEqualTo(dev.cdds.operator.api.TimeframeType.FixedInterval);
    assertThat(timeframe.start).isEqualTo("2026-10-01T00:00:00Z");
    assertThat(timeframe.end).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(later.exit()).as(later.err()).isZero();
    assertThat(later.err()).as("the original never ran").isEmpty();
    assertThat(cluster.jobs().withName("clone-later").get().getSpec().schedule.startAt)
        .isEqualTo("2099-01-01T00:00:00Z");
    assertThat(half.exit()).isEqualTo(1);
    assertThat(half.err()).contains("--start and --end go together");
  }

  @Test
  void suspendAndResumeAreTheSliderAndAStartedOneTimeJobRefusesWithTheServersMessage()
      throws Exception {
    cluster.jobs().resource(job("slider", RunMode.Daily, "Slider")).create();
    cluster.jobs().resource(ExportJobs.once("slider-once")).create();
    awaitJob("slider-once", j -> j.getStatus() != null && j.getStatus().history != null);

    Result suspended = cdds("suspend", "slider", "slider-once");
    Result resumed = cdds("resume", "slider");
    Result resumedOnce = cdds("resume", "slider-once");

    assertThat(suspended.exit()).isEqualTo(1);
    assertThat(suspended.out()).isEqualTo("exportjob.cdds.dev/slider suspended\n");
    assertThat(suspended.err())
        .startsWith("error: ")
        .contains("one-time jobs can't be changed once started")
        .hasLineCount(1);
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(resumed.out()).isEqualTo("exportjob.cdds.dev/slider resumed\n");
    assertThat(cluster.jobs().withName("slider").get().getSpec().suspend).isFalse();
    assertThat(cluster.jobs().withName("slider-once").get().getSpec().suspend).isNotEqualTo(true);
    assertThat(resumedOnce.exit()).isEqualTo(1);
    assertThat(resumedOnce.out()).isEmpty();
    assertThat(resumedOnce.err())
        .isEqualTo(
            "error: slider-once: a one-time job cannot run again once it has started: clone it"
                + " (kubectl cdds clone slider-once NEW-NAME)\n");
  }

  @Test
  void runStartsAScheduledJobNowAndHistoryShowsItAsManual() throws Exception {
    cluster.jobs().resource(job("on-demand", RunMode.Daily, "On demand")).create();
    awaitJob("on-demand", j -> j.getStatus() != null && j.getStatus().nextStartsAt != null);
    cluster.jobs().resource(ExportJobs.once("one-time")).create();

    Result started = cdds("run", "on-demand");
    Result refused = cdds("run", "one-time");
    ExportJob done = awaitJob("on-demand", j -> j.getStatus().history != null);
    Result history = cdds("history", "on-demand");

    assertThat(started.exit()).as(started.err()).isZero();
    assertThat(started.out())
        .matches("run on-demand-\\d+ of exportjob.cdds.dev/on-demand started\n");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("one-time job");
    var run = done.getStatus().history.get(0);
    assertThat(run.manual).isTrue();
    assertThat(run.result).isEqualTo(RunResult.Succeeded);
    List<String> lines = history.out().lines().toList();
    assertThat(lines.get(0))
        .startsWith("RUN")
        .contains("RESULT", "TRIGGER", "RECORDS", "BYTES", "DURATION", "WINDOW", "FILES");
    assertThat(lines.get(1)).startsWith(run.id).contains("Succeeded", "manual", "42");
  }

  @Test
  void describeSaysTheScheduleInWordsWithConditionsAndEvents() throws Exception {
    var job = job("described", RunMode.Hourly, "Every four hours");
    job.getSpec().schedule.time = null;
    job.getSpec().schedule.everyHours = 4;
    job.getSpec().schedule.minute = 15;
    cluster.jobs().resource(job).create();
    awaitJob("described", j -> j.getStatus() != null && j.getStatus().conditions != null);

    Result described = cdds("describe", "described");

    assertThat(described.exit()).as(described.err()).isZero();
    assertThat(described.out())
        .startsWith("Every four hours (" + cluster.namespace() + "/described)\n")
        .contains(
            "Schedule:  every 4 hours from 00:00 at :15 UTC, exporting what is new since the"
                + " previous run\n")
        .contains("Status:    NotRun, Active\n")
        .contains("Conditions:\n  Ready=True")
        .containsPattern("Next run:  " + TIME);
  }

  @Test
  void deleteIsRefusedWithTheServersMessageWhileARunIsInProgress() throws Exception {
    Path output = cluster.claim();
    Files.createDirectories(output);
    Files.writeString(output.resolve("hold"), "");
    try {
      cluster.jobs().resource(ExportJobs.once("busy")).create();
      awaitJob("busy", j -> j.getStatus() != null && j.getStatus().currentRun != null);

      Result refused = cdds("delete", "busy");

      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.err())
          .startsWith("error: ")
          .contains("has a run in progress")
          .hasLineCount(1);
      assertThat(cluster.jobs().withName("busy").get()).isNotNull();
    } finally {
      Files.delete(output.resolve("hold"));
      Files.writeString(output.resolve("release"), "");
    }
    awaitJob("busy", j -> j.getStatus().currentRun == null);
    Result deleted = cdds("delete", "busy");
    Files.delete(output.resolve("release"));

    assertThat(deleted.exit()).as(deleted.err()).isZero();
    assertThat(deleted.out()).isEqualTo("exportjob.cdds.dev/busy deleted\n");
  }

  @Test
  void watchRedrawsTheTableWhenAJobChanges() throws Exception {
    cluster.jobs().resource(job("watched", RunMode.Daily, "Watched")).create();
    awaitJob("watched", j -> j.getStatus() != null && j.getStatus().state != null);
    var out = new StringWriter();
    var err = new StringWriter();
    Thread watching =
        new Thread(
            () ->
                Main.commandLine()
                    .setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(err, true))
                    .execute(plugin().args("list", "--watch")));
    watching.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> frames(out).size() >= 1);

      cluster
          .jobs()
          .withName("watched")
          .edit(
              j -> {
                j.getSpec().suspend = true;
                return j;
              });

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> frames(out).stream().anyMatch(f -> row(f, "watched").contains("Suspended")));
      List<String> frames = frames(out);
      assertThat(row(frames.get(0), "watched")).contains("NotRun").contains("Active");
      assertThat(frames)
          .allSatisfy(f -> assertThat(f).startsWith("NAME ").doesNotContain("\u001b["));
    } finally {
      watching.interrupt();
      watching.join(10_000);
    }
    assertThat(watching.isAlive()).as("--watch ends when interrupted").isFalse();
    assertThat(err.toString()).isEmpty();
  }

  private static List<String> frames(StringWriter out) {
    List<String> frames = new ArrayList<>();
    for (String frame : out.toString().split("\n(?=NAME )")) {
      if (!frame.isBlank()) {
        frames.add(frame);
      }
    }
    return frames;
  }

  private static String row(String table, String name) {
    return table.lines().filter(l -> l.startsWith(name + " ")).findFirst().orElse("");
  }

  private ExportJob job(String name, RunMode mode, String title) {
    var schedule = new Schedule();
    schedule.run = mode;
    schedule.time = "02:00";
    if (mode == RunMode.Weekly) {
      schedule.dayOfWeek = dev.cdds.operator.api.Weekday.Monday;
    }
    if (mode == RunMode.Monthly) {
      schedule.dayOfMonth = 31;
    }
    var job = ExportJobs.job(name, schedule);
    job.getSpec().title = title;
    job.getSpec().source.type = dev.cdds.operator.api.SourceType.Contact;
    return job;
  }

  private ExportJob awaitJob(String name, Predicate<ExportJob> condition) {
    return cluster
        .jobs()
        .withName(name)
        .waitUntilCondition(j -> j != null && condition.test(j), 180, TimeUnit.SECONDS);
  }

  /** The header and the rows of the jobs whose names start with {@code prefix}. */
  private static String onlyRows(String table, String header, String prefix) {
    var kept = new StringBuilder();
    for (String line : table.lines().toList()) {
      if (line.startsWith(header + " ") || line.startsWith(prefix)) {
        kept.append(line).append('\n');
      }
    }
    return kept.toString();
  }

  /** Times replaced by {@code <time>}; the columns keep their widths (a time is 17 wide). */
  private static String normalized(String text) {
    return text.replaceAll(TIME, "<time>           ").replaceAll("(?m) +$", "");
  }

  private static String golden(String name) throws IOException {
    try (var in = KubectlPluginIT.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private InProcessPlugin plugin() {
    return new InProcessPlugin(cluster.controlPlane().kubeconfig(), cluster.namespace());
  }

  private Result cdds(String... command) {
    return plugin().run(command);
  }
}
