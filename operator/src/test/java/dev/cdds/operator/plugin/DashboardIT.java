package dev.cdds.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.PostgresServer;
import dev.cdds.localcluster.S3Server;
import dev.cdds.localcluster.SampleData;
import dev.cdds.localcluster.TestNamespaces;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.api.Destination;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.SourceType;
import dev.cdds.operator.api.TimeframeType;
import dev.cdds.operator.runcontract.RunDeletionRequest;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.storage.RunTarget;
import dev.cdds.operator.testing.ControlPlaneExtension;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorUnderTest;
import dev.cdds.operator.testing.PublishedRuns;
import dev.cdds.operator.testing.S3Destinations;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code kubectl cdds ui} as a person meets it: the installed plugin serves the pages, a real
 * headless Chromium (Debian's, through its chromedriver) opens the URL the plugin printed, and
 * everything it shows or does goes to the real API server.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// One dashboard and one browser for the class; the slider's test starts the operator last.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String HOSTILE = "<script>alert(1)</script>";

  private final ControlPlane controlPlane;
  private final KubernetesClient client;
  private String namespace;
  private Process plugin;
  private String url;
  private String origin;
  private WebDriver browser;
  private Path screenshots;
  private S3Server s3;
  private String firstRun;
  private String secondRun;

  DashboardIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.client = controlPlane.client();
  }

  @BeforeAll
  void setUp() throws Exception {
    controlPlane.installCrds();
    namespace = TestNamespaces.create(client, "dashboard");
    OperatorUnderTest.prepareNamespace(client, namespace);
    var contacts = ExportJobs.daily("contacts-daily", "02:00", "UTC");
    contacts.getSpec().title = "Contacts, daily";
    contacts.getSpec().source.type = SourceType.Contact;
    var interactions = ExportJobs.daily("interactions-daily", "03:00", "UTC");
    interactions.getSpec().title = "Interactions, daily";
    var hostile = ExportJobs.daily("hostile", "04:00", "UTC");
    hostile.getSpec().title = HOSTILE;
    s3 = S3Server.start(WorkDirectory.path(), "s3-dashboard");
    client.resource(S3Server.credentialsSecret("bucket")).inNamespace(namespace).create();
    var onS3 = ExportJobs.daily("exports-s3", "05:00", "UTC");
    onS3.getSpec().suspend = true;
    onS3.getSpec().output = new Output();
    onS3.getSpec().output.destination = new Destination();
    onS3.getSpec().output.destination.s3 = S3Destinations.of(s3, "exports", "site/", "bucket");
    for (ExportJob job : List.of(contacts, interactions, hostile, onS3)) {
      jobs().resource(job).create();
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    firstRun = RunIds.of("exports-s3", now.minus(Duration.ofDays(2)));
    secondRun = RunIds.of("exports-s3", now.minus(Duration.ofDays(1)));
    try (var archive =
        S3Destinations.archive(onS3.getSpec().output.destination.s3, namespace, "exports-s3")) {
      for (String run : List.of(firstRun, secondRun)) {
        PublishedRuns.write(
            archive, new RunTarget(namespace, "exports-s3", run), List.of("part-00000.jsonl.gz"));
      }
    }
    job("exports-s3")
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            """
            {"status": {"history": [
              {"id": "%s", "scheduledAt": "%s", "result": "Succeeded"},
              {"id": "%s", "scheduledAt": "%s", "result": "Succeeded"}]}}
            """
                .formatted(
                    secondRun,
                    RunIds.scheduledAt(secondRun).orElseThrow(),
                    firstRun,
                    RunIds.scheduledAt(firstRun).orElseThrow()));

    Path installed = Path.of(System.getProperty("cdds.operatorJar")).resolveSibling("kubectl-cdds");
    Path cache = Files.createTempDirectory(WorkDirectory.path(), "dashboard-cache-");
    var started =
        new ProcessBuilder(installed.toString(), "ui", "-n", namespace, "--no-open")
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    started.environment().put("KUBECONFIG", controlPlane.kubeconfig().toString());
    started.environment().put("XDG_CACHE_HOME", cache.toString());
    plugin = started.start();
    var out =
        new BufferedReader(new InputStreamReader(plugin.getInputStream(), StandardCharsets.UTF_8));
    url = CompletableFuture.supplyAsync(() -> firstLine(out)).get(60, TimeUnit.SECONDS);
    assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/\\?token=[A-Za-z0-9_-]{43}");
    origin = url.substring(0, url.indexOf("/?"));

    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, "/usr/bin/chromedriver");
    var options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800");
    browser = new ChromeDriver(options);
    screenshots = Files.createDirectories(Path.of("target", "dashboard-screenshots"));
  }

  @AfterAll
  void tearDown() throws Exception {
    if (s3 != null) {
      s3.close();
    }
    if (browser != null) {
      browser.quit();
    }
    if (plugin != null) {
      plugin.destroy();
    }
  }

  @Test
  @Order(1)
  void thePageListsTheJobsAndAFilterNarrowsThem() throws Exception {
    browser.get(url);

    assertThat(browser.getCurrentUrl())
        .as("the token leaves the address bar")
        .isEqualTo(origin + "/");
    assertThat(jobNames())
        .containsExactlyInAnyOrder("contacts-daily", "interactions-daily", "hostile", "exports-s3");
    screenshot("jobs");
    browser.manage().window().setSize(new Dimension(390, 844));
    assertThat(browser.findElement(By.cssSelector("tr[data-job=hostile] td.title")).isDisplayed())
        .as("a phone's width scrolls the table, the page stays usable")
        .isTrue();
    screenshot("jobs-phone");
    browser.manage().window().setSize(new Dimension(1280, 800));

    new Select(browser.findElement(By.name("type"))).selectByVisibleText("Contact");
    browser.findElement(By.cssSelector(".filters button[type=submit]")).click();

    await(b -> jobNames().equals(List.of("contacts-daily")));
    assertThat(new Select(browser.findElement(By.name("type"))).getFirstSelectedOption().getText())
        .isEqualTo("Contact");
  }

  @Test
  @Order(2)
  void aTitleWithAScriptIsShownAsText() {
    browser.get(origin + "/?search=hostile");

    WebElement title = browser.findElement(By.cssSelector("tr[data-job=hostile] td.title"));
    assertThat(title.getText()).isEqualTo(HOSTILE);
    assertThatThrownBy(() -> browser.switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
  }

  @Test
  @Order(3)
  void aRunsProgressMovesOnThePageWithoutAReloadAndItsHistoryIsShown() throws Exception {
    browser.get(origin + "/");
    assertThat(browser.findElements(By.cssSelector("tr[data-job=interactions-daily] progress")))
        .isEmpty();
    // What the operator and the export pod write while a run goes on, and when it is done.
    Instant scheduled = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(1));
    String run = RunIds.of("interactions-daily", scheduled);
    String eta =
        Instant.now().plus(Duration.ofMinutes(12)).truncatedTo(ChronoUnit.SECONDS).toString();
    progress(run, scheduled, 10, eta);

    await(b -> progressOf("interactions-daily").equals("10"));
    progress(run, scheduled, 55, eta);
    await(b -> progressOf("interactions-daily").equals("55"));

    assertThat(browser.getCurrentUrl()).isEqualTo(origin + "/");
    assertThat(browser.findElement(By.tagName("body")).getAttribute("data-refreshed"))
        .as("rows fetched again, the page itself never reloaded")
        .isNotNull();
    assertThat(
            browser
                .findElement(By.cssSelector("tr[data-job=interactions-daily] .progress"))
                .getAttribute("title"))
        .matches("ETA \\d\\d:\\d\\dZ, 1[12] min left");
    screenshot("jobs-running");

    job("interactions-daily")
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            """
            {"status": {"currentRun": null, "latestStatus": "Succeeded", "history": [
              {"id": "%s", "scheduledAt": "%s", "startedAt": "%s", "finishedAt": "%s",
               "windowStart": "%s", "windowEnd": "%s",
               "result": "Succeeded", "records": 1200, "bytes": 53000, "files": 2}]}}
            """
                .formatted(
                    run,
                    scheduled,
                    scheduled.plusSeconds(5),
                    scheduled.plusSeconds(65),
                    scheduled.minus(Duration.ofDays(1)),
                    scheduled));
    browser.get(origin + "/history");

    await(b -> b.getPageSource().contains(run));
    assertThat(browser.findElement(By.id("rows")).getText()).contains("Succeeded", "1200");
    screenshot("history");
    browser.findElement(By.linkText(run)).click();
    assertThat(browser.findElement(By.cssSelector("pre.details")).getText())
        .contains("Run:       " + run, "Result:    Succeeded");

    browser.findElement(By.linkText("Clone this run")).click();
    await(b -> !b.findElements(By.id("start")).isEmpty());
    assertThat(browser.findElement(By.id("start")).getAttribute("value"))
        .isEqualTo(scheduled.minus(Duration.ofDays(1)).toString());
    browser.findElement(By.id("name")).sendKeys("that-window-again");
    browser.findElement(By.cssSelector("form.form button[type=submit]")).click();

    await(b -> !b.findElements(By.cssSelector(".flash")).isEmpty());
    var timeframe = job("that-window-again").get().getSpec().timeframe;
    assertThat(timeframe.type).isEqualTo(TimeframeType.FixedInterval);
    assertThat(Instant.parse(timeframe.end)).isEqualTo(scheduled);
  }

  @Test
  @Order(4)
  void anInvalidAddFormShowsTheServersMessageNextToTheField() throws Exception {
    browser.get(origin + "/new");
    browser.findElement(By.id("name")).sendKeys("typed-in-a-browser");
    browser.findElement(By.id("title")).sendKeys("Typed in a browser");
    new Select(browser.findElement(By.id("run"))).selectByVisibleText("Daily");
    browser.findElement(By.id("time")).sendKeys("25:00");
    browser.findElement(By.cssSelector("form.form button[type=submit]")).click();

    await(b -> !b.findElements(By.id("time-message")).isEmpty());
    WebElement message = browser.findElement(By.id("time-message"));
    assertThat(message.getText()).isEqualTo("⚠ " + serverMessageFor("25:00"));
    assertThat(browser.findElement(By.id("title")).getAttribute("value"))
        .isEqualTo("Typed in a browser");
    screenshot("add-invalid");

    browser.findElement(By.id("time")).clear();
    browser.findElement(By.id("time")).sendKeys("23:30");
    browser.findElement(By.cssSelector("form.form button[type=submit]")).click();
    await(b -> !b.findElements(By.cssSelector(".flash")).isEmpty());

    assertThat(browser.findElement(By.cssSelector(".flash")).getText())
        .isEqualTo("typed-in-a-browser created");
    assertThat(job("typed-in-a-browser").get().getSpec().schedule.time).isEqualTo("23:30");

    browser.get(origin + "/jobs/" + namespace + "/typed-in-a-browser/edit");
    assertThat(browser.findElement(By.id("time")).getAttribute("value")).isEqualTo("23:30");
    browser.findElement(By.id("time")).clear();
    browser.findElement(By.id("time")).sendKeys("07:15");
    browser.findElement(By.id("title")).clear();
    browser.findElement(By.id("title")).sendKeys("Edited in a browser");
    browser.findElement(By.cssSelector("form.form button[type=submit]")).click();

    await(b -> !b.findElements(By.cssSelector(".flash")).isEmpty());
    assertThat(browser.findElement(By.cssSelector(".flash")).getText())
        .isEqualTo("typed-in-a-browser changed");
    var edited = job("typed-in-a-browser").get().getSpec();
    assertThat(edited.schedule.time).isEqualTo("07:15");
    assertThat(edited.title).isEqualTo("Edited in a browser");
    assertThat(edited.schedule.run).isEqualTo(RunMode.Daily);
  }

  @Test
  @Order(5)
  void theArtifactsPageListsKeptFilesDownloadsThemVerifiedAndAsksToDeleteRuns() throws Exception {
    browser.get(origin + "/artifacts?search=exports-s3");

    var section = browser.findElement(By.cssSelector("section[data-job=exports-s3]"));
    assertThat(section.getText())
        .contains(firstRun, secondRun, "part-00000.jsonl.gz", sha256(firstRun));
    screenshot("artifacts");
    var http = HttpClient.newHttpClient();
    String link =
        section
            .findElement(By.xpath(".//tr[td[text()='" + firstRun + "']]//a"))
            .getAttribute("href");
    var downloaded =
        http.send(
            HttpRequest.newBuilder(URI.create(link)).header("Cookie", cookie()).build(),
            BodyHandlers.ofByteArray());
    assertThat(downloaded.statusCode()).isEqualTo(200);
    assertThat(downloaded.body()).isEqualTo(PublishedRuns.content(firstRun, "part-00000.jsonl.gz"));
    s3.write(
        "exports",
        "site/" + namespace + "/exports-s3/" + secondRun + "/part-00000.jsonl.gz",
        "tampered".getBytes(StandardCharsets.UTF_8));
    var tampered =
        HttpRequest.newBuilder(URI.create(link.replace(firstRun, secondRun)))
            .header("Cookie", cookie())
            .build();
    assertThatThrownBy(() -> http.send(tampered, BodyHandlers.ofByteArray()))
        .as("a file that differs from its manifest never arrives whole")
        .isInstanceOf(java.io.IOException.class);

    section.findElement(By.cssSelector("input[name=run][value='" + firstRun + "']")).click();
    section.findElement(By.cssSelector("button.danger")).click();
    browser.switchTo().alert().accept();

    await(b -> !b.findElements(By.cssSelector(".flash")).isEmpty());
    assertThat(browser.findElement(By.cssSelector(".flash")).getText())
        .startsWith("deletion of " + firstRun + " requested");
    assertThat(job("exports-s3").get().getMetadata().getAnnotations())
        .containsEntry(RunDeletionRequest.ANNOTATION, firstRun);
  }

  @Test
  @Order(7)
  void requestsWithoutTheTokenFromAnotherSiteOrForAnotherHostAreRefused() throws Exception {
    var http = HttpClient.newHttpClient();
    String cookie = cookie();

    int withoutToken =
        http.send(
                HttpRequest.newBuilder(URI.create(origin + "/")).build(), BodyHandlers.discarding())
            .statusCode();
    int wrongToken =
        http.send(
                HttpRequest.newBuilder(URI.create(origin + "/?token=" + "x".repeat(43))).build(),
                BodyHandlers.discarding())
            .statusCode();
    var crossSite =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(origin + "/jobs/" + namespace + "/contacts-daily/suspend"))
                .header("Cookie", cookie)
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            BodyHandlers.ofString());
    String rebound = rawStatusLine("evil.example", cookie);

    assertThat(withoutToken).isEqualTo(401);
    assertThat(wrongToken).isEqualTo(401);
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(crossSite.body()).isEqualTo("a change must come from the dashboard's own pages");
    assertThat(rebound).startsWith("HTTP/1.1 403");
    assertThat(job("contacts-daily").get().getSpec().suspend).isFalse();
  }

  @Test
  @Order(8)
  void theSliderSuspendsAJobItsCronJobAndRunNowStartsARun() throws Exception {
    try (var operator = OperatorUnderTest.start(client, namespace, "dashboard")) {
      var cronJobs = client.batch().v1().cronjobs().inNamespace(namespace);
      cronJobs
          .withName("contacts-daily")
          .waitUntilCondition(
              c -> c != null && !Boolean.TRUE.equals(c.getSpec().getSuspend()),
              60,
              TimeUnit.SECONDS);
      browser.get(origin + "/");
      await(b -> slider("contacts-daily").getText().contains("Active"));

      // The operator's status writes replace the rows now and then.
      clickInRow("contacts-daily", ".slider");

      await(b -> slider("contacts-daily").getText().contains("Suspended"));
      assertThat(browser.findElement(By.cssSelector(".flash")).getText())
          .isEqualTo("contacts-daily suspended");
      CronJob suspended =
          cronJobs
              .withName("contacts-daily")
              .waitUntilCondition(
                  c -> Boolean.TRUE.equals(c.getSpec().getSuspend()), 60, TimeUnit.SECONDS);
      assertThat(suspended.getSpec().getSuspend()).isTrue();

      clickInRow("interactions-daily", "form[action$='/run'] button");

      await(b -> !b.findElements(By.cssSelector(".flash")).isEmpty());
      String started = browser.findElement(By.cssSelector(".flash")).getText();
      assertThat(started).matches("run interactions-daily-\\d+ of interactions-daily started");
      String run = started.split(" ")[1];
      assertThat(client.batch().v1().jobs().inNamespace(namespace).withName(run).get())
          .as("the Job of the run started by hand")
          .isNotNull();
    }
  }

  @Test
  @Order(6)
  void deleteShowsTheServersRefusalWhileARunIsInProgressAndDeletesOtherwise() {
    // What the operator records while a run goes on; the API server's policy reads it.
    job("hostile")
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            """
            {"status": {"currentRun": {"id": "hostile-29928000", "scheduledAt": "2026-11-26T00:00:00Z"}}}
            """);
    browser.get(origin + "/");

    clickInRow("hostile", "button.danger");
    browser.switchTo().alert().accept();

    await(b -> !b.findElements(By.cssSelector(".flash")).isEmpty());
    assertThat(browser.findElement(By.cssSelector(".flash")).getText())
        .startsWith("Refused: ")
        .contains("has a run in progress");
    assertThat(job("hostile").get()).isNotNull();

    job("hostile")
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\": {\"currentRun\": null}}");
    browser.get(origin + "/");
    clickInRow("hostile", "button.danger");
    browser.switchTo().alert().accept();

    await(b -> !b.findElements(By.cssSelector(".flash")).isEmpty());
    assertThat(browser.findElement(By.cssSelector(".flash")).getText())
        .isEqualTo("hostile deleted");
    assertThat(job("hostile").get()).isNull();
    assertThat(jobNames()).doesNotContain("hostile");
  }

  @Test
  @Order(9)
  void aRealExportAddedInThePageRunsLiveOnItAndEndsSucceeded() throws Exception {
    try (var postgres = PostgresServer.start(WorkDirectory.path(), "postgres-dashboard")) {
      try (var db = postgres.connect()) {
        SampleData.load(db, 20_000, 13);
      }
      client
          .secrets()
          .inNamespace(namespace)
          .withName("cdds-source-contacthistory")
          .edit(
              secret -> {
                secret.setData(null);
                secret.setStringData(
                    Map.of(
                        "url", postgres.url(),
                        "user", PostgresServer.USER,
                        "password", PostgresServer.PASSWORD));
                return secret;
              });
      try (var operator =
          OperatorUnderTest.start(
              client, namespace, "dashboard-export", OperatorUnderTest.realExporter())) {
        browser.get(origin + "/");
        // What the rows show of the job, each time they are replaced; and a mark a reload drops.
        ((JavascriptExecutor) browser)
            .executeScript(
                "window.stillTheSamePage = true; window.seen = [];"
                    + " new MutationObserver(function () {"
                    + "  var row = document.querySelector('tr[data-job=real-export]');"
                    + "  if (!row) { return; }"
                    + "  var bar = row.querySelector('progress');"
                    + "  window.seen.push(row.querySelector('.status').textContent"
                    + "    + (bar ? ' ' + bar.value + '%' : ''));"
                    + " }).observe(document.getElementById('rows'), {childList: true});");
        String rowsBefore = browser.findElement(By.tagName("body")).getAttribute("data-refreshed");

        jobs().resource(realExport()).create();

        // A real pod: its JVM, the count and the export take 25 s on a busy CI machine.
        new WebDriverWait(browser, Duration.ofMinutes(3))
            .ignoring(StaleElementReferenceException.class)
            .until(
                b ->
                    !b.findElements(By.cssSelector("tr[data-job=real-export] .status-Succeeded"))
                        .isEmpty());
        var js = (JavascriptExecutor) browser;
        assertThat(js.executeScript("return window.stillTheSamePage")).isEqualTo(true);
        @SuppressWarnings("unchecked")
        List<String> seen = (List<String>) js.executeScript("return window.seen");
        assertThat(seen)
            .as("the run on the page while it exported, then its result")
            .anySatisfy(state -> assertThat(state).matches("Running \\d+%"))
            .last()
            .isEqualTo("Succeeded");
        assertThat(browser.findElement(By.tagName("body")).getAttribute("data-refreshed"))
            .isNotEqualTo(rowsBefore);
      }
    }
  }

  private static ExportJob realExport() {
    var job = ExportJobs.once("real-export");
    job.getSpec().title = "A real export";
    job.getSpec().source.includeAttachments = false;
    return job;
  }

  /** Clicks a button of a job's row; a row the live refresh just replaced is clicked again. */
  private void clickInRow(String job, String button) {
    await(
        b -> {
          b.findElement(By.cssSelector("tr[data-job=" + job + "] " + button)).click();
          return true;
        });
  }

  private List<String> jobNames() {
    return browser.findElements(By.cssSelector("#rows tr[data-job]")).stream()
        .map(r -> r.getAttribute("data-job"))
        .toList();
  }

  private String progressOf(String job) {
    var bars = browser.findElements(By.cssSelector("tr[data-job=" + job + "] progress"));
    return bars.isEmpty() ? "" : bars.get(0).getAttribute("value");
  }

  private WebElement slider(String job) {
    return browser.findElement(By.cssSelector("tr[data-job=" + job + "] .slider"));
  }

  private void progress(String run, Instant scheduled, int percent, String eta) {
    job("interactions-daily")
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            """
            {"status": {"latestStatus": "Running", "currentRun": {
              "id": "%s", "scheduledAt": "%s", "progress": %d, "estimatedCompletionAt": "%s"}}}
            """
                .formatted(run, scheduled, percent, eta));
  }

  /** What the API server says of a job whose schedule.time is {@code time}, without creating it. */
  private String serverMessageFor(String time) {
    var job = ExportJobs.daily("dry-run", time, "UTC");
    try {
      jobs().resource(job).dryRun().create();
    } catch (KubernetesClientException e) {
      return e.getStatus().getDetails().getCauses().stream()
          .filter(c -> c.getField().endsWith("time"))
          .findFirst()
          .orElseThrow()
          .getMessage();
    }
    throw new AssertionError("the server accepted time " + time);
  }

  private String rawStatusLine(String host, String cookie) throws Exception {
    var address = URI.create(origin);
    try (var socket = new Socket(address.getHost(), address.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET / HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nCookie: "
                  + cookie
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  private void await(java.util.function.Predicate<WebDriver> shown) {
    new WebDriverWait(browser, WAIT)
        // The rows are replaced when a change arrives: an element read at that moment is gone.
        .ignoring(StaleElementReferenceException.class)
        .withMessage(() -> "the page shows:\n" + browser.findElement(By.tagName("body")).getText())
        .until(shown::test);
  }

  private String cookie() {
    return DashboardAccess.COOKIE + "=" + url.substring(url.indexOf("token=") + "token=".length());
  }

  private static String sha256(String run) {
    return PublishedRuns.sha256(PublishedRuns.content(run, "part-00000.jsonl.gz"));
  }

  private void screenshot(String name) throws Exception {
    Files.write(
        screenshots.resolve(name + ".png"),
        ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private static String firstLine(BufferedReader out) {
    try {
      return out.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Resource<ExportJob> job(String name) {
    return jobs().withName(name);
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          ExportJob,
          io.fabric8.kubernetes.api.model.KubernetesResourceList<ExportJob>,
          Resource<ExportJob>>
      jobs() {
    return client.resources(ExportJob.class).inNamespace(namespace);
  }
}
