package org.hmssync.observe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.event;
import static org.hmssync.support.RunningHub.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hmssync.support.RouteFiles;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a real headless Chromium (Debian's chromium and chromium-driver), driven by
 * Selenium: the Ohio event green on all three systems, a red parked event while the dashboard is down,
 * replay after it came back, green again; the header's counts of events by status now, through a fix
 * and a restart; an undo told apart from a failure; a parked row and the search box opening an
 * event's timeline. Screenshots land in target/ for a person to look at.
 */
class ConsoleBrowserIT {

    @TempDir
    Path data;
    @TempDir
    Path profile;
    RunningHub hub;
    WireMockServer peer;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void start() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).build();
        browser = new ChromeDriver(service, options);
        // the page redraws every 1.5 s: an element found a moment ago may be gone, so look again
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (hub != null) {
            hub.close();
        }
        if (peer != null) {
            peer.stop();
        }
    }

    @Test
    void anOperatorSeesTheWalkThroughAndReplaysFromTheBrowser() throws Exception {
        hub = RunningHub.start(data);
        hub.postEvent(event("ohio-fix-1", "OH", "OH-000123", "25"));
        hub.awaitFinal("ohio-fix-1");
        browser.get(hub.url("/"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr.event[data-id='ohio-fix-1']")));
        assertThat(lightsOf("#events tr.event[data-id='ohio-fix-1']")).containsExactly("committed", "committed", "committed");

        hub.put("/sim/dashboard/mode", "down");
        hub.postEvent(event("ohio-fix-2", "OH", "OH-000124", "25"));
        hub.awaitFinal("ohio-fix-2");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#dlq tr.parked[data-id='ohio-fix-2']")));
        assertThat(attr("#events tr.event[data-id='ohio-fix-2']", "data-status")).isEqualTo("rolled_back");
        assertThat(attr("#events tr.event[data-id='ohio-fix-2'] [data-system='dashboard']", "data-state")).isEqualTo("refused");
        String parkedRow = wait.until(d -> d.findElement(By.cssSelector("#dlq tr.parked[data-id='ohio-fix-2']")).getText());
        assertThat(parkedRow).contains("dashboard voted no");
        wait.until(d -> d.findElement(By.cssSelector("#n-dlq b")).getText().equals("1"));
        click("#events tr.event[data-id='ohio-fix-2']");
        wait.until(d -> d.findElement(By.id("timeline")).getText().contains("dead_letter"));
        screenshot("console-parked.png");

        hub.put("/sim/dashboard/mode", "up");
        click("#dlq button[data-action='replay'][data-id='ohio-fix-2']");
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(d -> "committed".equals(d.findElement(By.cssSelector("#events tr.event[data-id='ohio-fix-2']")).getAttribute("data-status")));
        assertThat(lightsOf("#events tr.event[data-id='ohio-fix-2']")).containsExactly("committed", "committed", "committed");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#dlq tr.parked"), 0));
        wait.until(d -> d.findElement(By.cssSelector("#n-committed b")).getText().equals("2"));
        Path shot = screenshot("console.png");
        assertThat(Files.size(shot)).isGreaterThan(10_000);
    }

    /**
     * The issue's case: an event needed attention, an operator fixed it, and the header still said
     * "needs attention 1" beside an empty DLQ; after a restart it said 0 of everything. The header
     * counts events by their status now, from the ledger, and keeps the counters since start apart.
     */
    @Test
    void theHeaderCountsEventsByTheirStatusNowThroughAFixAndARestart() throws Exception {
        peer = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        peer.start();
        peer.stubFor(post(urlMatching("/.*")).willReturn(aResponse().withStatus(200)));
        // a first call to a fresh WireMock can take most of a second: no prepare deadline is under test here
        Map<String, String> vendorIsThePeer = Map.of("hms.adapter.debit-vendor.url", peer.baseUrl() + "/vendor",
                "hms.prepare-timeout-ms", "10000");
        hub = RunningHub.start(data, vendorIsThePeer);
        for (String id : List.of("cnt-kept", "cnt-undone")) {
            hub.postEvent(event(id, "OH", "OH-" + id, "25"));
            assertThat(hub.awaitFinal(id).path("status").asText()).isEqualTo("committed");
        }
        assertThat(hub.post("/events/cnt-undone/rollback", "application/json", "").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> json(hub.get("/events/cnt-undone")).path("status").asText().equals("rolled_back"));
        // the card vendor takes no commit and refuses the reversal: the event needs a person
        peer.stubFor(post(urlEqualTo("/vendor")).willReturn(aResponse().withStatus(500)));
        peer.stubFor(post(urlEqualTo("/vendor/reversal")).willReturn(aResponse().withStatus(503)));
        hub.postEvent(event("cnt-stuck", "OH", "OH-cnt-stuck", "25"));
        assertThat(hub.awaitFinal("cnt-stuck").path("status").asText()).isEqualTo("needs_attention");

        browser.get(hub.url("/"));
        awaitHeader(Map.of("n-committed", "1", "n-rolled_back", "1", "n-needs_attention", "1", "n-dlq", "1", "n-inflight", "0"));
        assertThat(text("#n-undone")).isEqualTo("(1 undone)");

        peer.stubFor(post(urlEqualTo("/vendor/reversal")).willReturn(aResponse().withStatus(200)));
        click("#dlq button[data-action='roll-back-rest'][data-id='cnt-stuck']");
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        awaitHeader(Map.of("n-committed", "1", "n-rolled_back", "2", "n-needs_attention", "0", "n-dlq", "0"));
        assertThat(text("#n-undone")).isEqualTo("(1 undone)");
        // final statuses reached by this process: two commits, the undo, the stuck rollback, the fix
        awaitHeader(Map.of("n-finished", "5"));
        assertThat(text("#numbers")).contains("NOW").contains("SINCE START");
        screenshot("console-counts.png");

        hub.close();
        hub = RunningHub.start(data, vendorIsThePeer);
        browser.get(hub.url("/"));
        awaitHeader(Map.of("n-committed", "1", "n-rolled_back", "2", "n-needs_attention", "0", "n-dlq", "0", "n-finished", "0"));
        assertThat(text("#n-undone")).isEqualTo("(1 undone)");
        JsonNode summary = json(hub.get("/summary"));
        assertThat(summary.path("events").asLong()).isEqualTo(3);
        assertThat(summary.path("by_status").path("committed").asLong()).isEqualTo(1);
        assertThat(summary.path("by_status").path("rolled_back").asLong()).isEqualTo(2);
        assertThat(summary.path("by_status").path("needs_attention").asLong()).isZero();
        assertThat(summary.path("by_status").path("preparing").asLong()).isZero();
        assertThat(summary.path("undone").asLong()).isEqualTo(1);
        assertThat(summary.path("dlq").asLong()).isZero();
        assertThat(summary.path("in_flight").asLong()).isZero();
    }

    @Test
    void anUndoIsNotAFailureAParkedRowOpensItsTimelineAndAnEventIsFoundById() throws Exception {
        hub = RunningHub.start(data);
        for (String id : List.of("find-kept", "find-undo")) {
            hub.postEvent(event(id, "OH", "OH-" + id, "25"));
            hub.awaitFinal(id);
        }
        browser.get(hub.url("/"));
        click("#events button[data-action='undo'][data-id='find-undo']");
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        String undone = "#events tr.event[data-id='find-undo']";
        wait.until(d -> "rolled_back".equals(d.findElement(By.cssSelector(undone)).getAttribute("data-status")));
        assertThat(attr(undone, "data-undone")).isEqualTo("true");
        assertThat(text(undone + " td.status")).isEqualTo("rolled_back undone");
        assertThat(css(undone + " td.status", "color")).isNotEqualTo(RED);

        click(undone);
        wait.until(d -> d.findElement(By.id("timeline-id")).getText().equals("find-undo"));
        String undoDecision = "#timeline li[data-system='hub'][data-action='decision'].undo";
        assertThat(text(undoDecision)).contains("abort").contains("undo asked for with the rollback token");
        assertThat(css(undoDecision, "color")).isNotEqualTo(RED);
        assertThat(browser.findElements(By.cssSelector("#timeline li.abort, #timeline li.failure"))).isEmpty();
        assertThat(text("#event-head td.status")).isEqualTo("rolled_back undone");

        hub.put("/sim/dashboard/mode", "down");
        hub.postEvent(event("find-failed", "OH", "OH-find-failed", "25"));
        hub.awaitFinal("find-failed");
        String failed = "#events tr.event[data-id='find-failed']";
        wait.until(d -> "rolled_back".equals(d.findElement(By.cssSelector(failed)).getAttribute("data-status")));
        assertThat(attr(failed, "data-undone")).isEqualTo("false");
        assertThat(text(failed + " td.status")).isEqualTo("rolled_back");
        assertThat(css(failed + " td.status", "color")).as("a failure stays red").isEqualTo(RED);

        click("#dlq tr.parked[data-id='find-failed'] td:first-child");
        wait.until(d -> d.findElement(By.id("timeline-id")).getText().equals("find-failed"));
        wait.until(d -> d.findElement(By.id("timeline")).getText().contains("dead_letter"));
        assertThat(text("#timeline li[data-system='hub'][data-action='decision'].abort")).contains("dashboard voted no");

        find("find-kept");
        wait.until(d -> d.findElement(By.id("timeline-id")).getText().equals("find-kept"));
        wait.until(d -> d.findElement(By.cssSelector("#timeline li[data-system='hub'][data-action='commit']")).getText().contains("success"));
        assertThat(text("#event-head td.status")).isEqualTo("committed");
        assertThat(browser.findElement(By.id("not-found")).isDisplayed()).isFalse();

        find("no-such-event");
        wait.until(d -> d.findElement(By.id("not-found")).isDisplayed());
        assertThat(text("#not-found")).isEqualTo("no event with id 'no-such-event'");
        assertThat(browser.findElements(By.cssSelector("#timeline li"))).isEmpty();
        assertThat(text("#timeline-id")).isEmpty();
        screenshot("console-find.png");

        find("find-undo");
        wait.until(d -> d.findElement(By.id("timeline-id")).getText().equals("find-undo"));
        assertThat(browser.findElement(By.id("not-found")).isDisplayed()).isFalse();
        assertThat(text("#timeline li[data-system='hub'][data-action='rollback'].undo")).contains("success");
        screenshot("console-undo.png");
    }

    @Test
    void aBatchShowsItsProgressAndUndoBatchNamesTheCountAndUndoesIt() throws Exception {
        hub = RunningHub.start(data);
        for (int i = 1; i <= 3; i++) {
            hub.postEvent("{\"id\":\"b-" + i + "\",\"type\":\"benefit_adjusted\",\"batch_id\":\"ohio-fix\","
                    + "\"payload\":{\"state\":\"OH\",\"claimant_id\":\"OH-" + i + "\",\"delta_usd\":25}}");
        }
        for (int i = 1; i <= 3; i++) {
            hub.awaitFinal("b-" + i);
        }
        browser.get(hub.url("/"));
        wait.until(d -> d.findElement(By.cssSelector("#batches tr.batch[data-id='ohio-fix']")).getText().contains("committed 3"));
        click("#batches button[data-action='undo-batch'][data-id='ohio-fix']");
        org.openqa.selenium.Alert confirm = wait.until(ExpectedConditions.alertIsPresent());
        assertThat(confirm.getText()).contains("ohio-fix").contains("3 committed event(s)");
        confirm.accept();
        wait.until(d -> d.findElement(By.cssSelector("#batches tr.batch[data-id='ohio-fix'] .undo-progress")).getText()
                .equals("done (3 of 3 undone)"));
        assertThat(text("#batches tr.batch[data-id='ohio-fix']")).contains("rolled_back 3");
        assertThat(browser.findElements(By.cssSelector("#batches button[data-action='undo-batch'][data-id='ohio-fix']"))).isEmpty();
        assertThat(RunningHub.json(hub.get("/sim/dashboard/program-cost?state=OH")).path("program_cost_usd").decimalValue())
                .isEqualByComparingTo("0");
        screenshot("console-batch.png");
    }

    /** HMS_ROUTES_RELOAD: an adapter edit that does not pass is not loaded, and the console says why. */
    @Test
    void theConsoleSaysWhyAnAdapterEditWasNotLoaded() throws Exception {
        Path routes = data.resolve("routes");
        RouteFiles.copyTo(routes);
        hub = RunningHub.start(data.resolve("hub"), java.util.Map.of("hms.routes-location", "file:" + routes, "hms.routes.reload", "true"));
        browser.get(hub.url("/"));
        wait.until(d -> d.findElement(By.cssSelector("#systems tr[data-id='dashboard']")).isDisplayed());
        assertThat(browser.findElement(By.id("reload-note")).isDisplayed()).isFalse();
        Path dashboard = routes.resolve("adapters/dashboard.camel.yaml");
        Files.writeString(dashboard, Files.readString(dashboard).replace("{event_id: .id}\"}", "{event_id: .id\"}"));
        wait.withTimeout(Duration.ofSeconds(40)).until(d -> d.findElement(By.id("reload-note")).isDisplayed());
        assertThat(text("#reload-note")).contains("dashboard.camel.yaml: the edit is not loaded, the running version stays");
        hub.postEvent(RunningHub.event("after-refusal", "OH", "OH-r", "25"));
        assertThat(hub.awaitFinal("after-refusal").path("status").asText()).isEqualTo("committed");
    }

    /** An outage in the console: the dashboard's circuit goes open with events waiting for it, then closes and they commit. */
    @Test
    void theSystemsPanelShowsACircuitOpenWithItsHeldEventsThenClosed() throws Exception {
        hub = RunningHub.start(data, java.util.Map.of("hms.hold.max-s", "3600", "hms.circuit.open-wait-ms", "200",
                "hms.circuit.open-wait-max-ms", "800"));
        hub.put("/sim/dashboard/mode", "down");
        for (int i = 0; i < 8; i++) {
            hub.postEvent(RunningHub.event("out-" + i, "OH", "OH-out-" + i, "25"));
        }
        browser.get(hub.url("/"));
        wait.until(d -> d.findElement(By.cssSelector("#systems tr[data-id='dashboard'] .circuit")).getText().matches("open|half_open"));
        wait.until(d -> Integer.parseInt(d.findElement(By.cssSelector("#systems tr[data-id='dashboard'] .held")).getText()) > 0);
        assertThat(text("#systems tr[data-id='debit-vendor'] .circuit")).isEqualTo("closed");
        screenshot("console-outage.png");
        hub.put("/sim/dashboard/mode", "up");
        wait.until(d -> d.findElement(By.cssSelector("#systems tr[data-id='dashboard'] .circuit")).getText().equals("closed"));
        for (int i = 0; i < 8; i++) {
            assertThat(hub.awaitFinal("out-" + i).path("status").asText()).isEqualTo("committed");
        }
        wait.until(d -> d.findElement(By.cssSelector("#systems tr[data-id='dashboard'] .held")).getText().equals("0"));
    }

    /**
     * The DLQ for thousands in the console: a hundred rows at a time with "more", a filter (a bad
     * one says why), and "Replay all matching", which names the count it will replay before it does.
     */
    @Test
    void theDlqPanelPagesFiltersAndReplaysAllMatching() throws Exception {
        hub = RunningHub.start(data);
        hub.put("/sim/dashboard/mode", "down");
        for (int i = 0; i < 105; i++) {
            String batch = i % 35 == 0 ? "page-b" : "page-a";
            hub.postEvent("{\"id\":\"pg-" + i + "\",\"type\":\"benefit_adjusted\",\"batch_id\":\"" + batch
                    + "\",\"payload\":{\"state\":\"OH\",\"claimant_id\":\"OH-pg-" + i + "\",\"delta_usd\":5}}");
        }
        await().atMost(Duration.ofSeconds(40)).until(() ->
                hub.get("/dlq?limit=1").headers().firstValue("X-Total-Count").orElse("").equals("105"));
        browser.get(hub.url("/"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#dlq tr.parked"), 100));
        assertThat(text("#dlq-count")).isEqualTo("100 of 105 shown");
        click("#dlq-more");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#dlq tr.parked"), 105));
        wait.until(d -> !d.findElement(By.id("dlq-more")).isDisplayed());
        assertThat(text("#dlq-count")).isEqualTo("105 parked");

        type("dlq-system", "billing");
        click("#dlq-apply");
        wait.until(d -> d.findElement(By.id("dlq-error")).isDisplayed());
        assertThat(text("#dlq-error")).isEqualTo("system names no system of the hub: 'billing'");
        type("dlq-system", "");
        type("dlq-batch", "page-b");
        click("#dlq-apply");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#dlq tr.parked"), 3));
        assertThat(browser.findElement(By.id("dlq-error")).isDisplayed()).isFalse();
        screenshot("console-dlq-filter.png");

        hub.put("/sim/dashboard/mode", "up");
        // the dashboard's circuit opened during the outage: replay once it lets calls through again, as the
        // Systems panel shows (with HMS_HOLD_MAX_S=0 a call it refuses would park the event again)
        wait.withTimeout(Duration.ofSeconds(45)).until(d -> !d.findElement(By.cssSelector("#systems tr[data-id='dashboard'] .circuit"))
                .getText().equals("open"));
        click("#dlq-replay-all");
        org.openqa.selenium.Alert confirm = wait.until(ExpectedConditions.alertIsPresent());
        assertThat(confirm.getText()).isEqualTo("Replay all 3 matching parked events (batch page-b)?");
        confirm.accept();
        wait.until(d -> d.findElement(By.id("message")).getText().contains("3 replays started"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#dlq tr.parked"), 0));
        for (String id : List.of("pg-0", "pg-35", "pg-70")) {
            assertThat(hub.awaitFinal(id).path("status").asText()).isEqualTo("committed");
        }
        assertThat(hub.get("/dlq?limit=1").headers().firstValue("X-Total-Count")).hasValue("102");
    }

    private void type(String id, String value) {
        WebElement box = wait.until(d -> d.findElement(By.id(id)));
        box.clear();
        box.sendKeys(value);
    }

    private static final String RED = "rgba(214, 69, 69, 1)";

    private void find(String id) {
        WebElement box = wait.until(d -> d.findElement(By.id("find-id")));
        box.clear();
        box.sendKeys(id, Keys.ENTER);
    }

    private void awaitHeader(Map<String, String> numbers) {
        wait.withMessage(() -> "header numbers " + numbers + ", header reads: " + browser.findElement(By.id("numbers")).getText());
        wait.until(d -> numbers.entrySet().stream()
                .allMatch(n -> d.findElement(By.cssSelector("#" + n.getKey() + " b")).getText().equals(n.getValue())));
    }

    private String text(String selector) {
        return wait.until(d -> d.findElement(By.cssSelector(selector)).getText());
    }

    private String css(String selector, String property) {
        return wait.until(d -> d.findElement(By.cssSelector(selector)).getCssValue(property));
    }

    private List<String> lightsOf(String rowSelector) {
        return wait.until(d -> d.findElements(By.cssSelector(rowSelector + " .system")).stream().map(e -> e.getAttribute("data-state")).toList());
    }

    private String attr(String selector, String name) {
        return wait.until(d -> d.findElement(By.cssSelector(selector)).getAttribute(name));
    }

    private void click(String selector) {
        wait.until(d -> {
            d.findElement(By.cssSelector(selector)).click();
            return true;
        });
    }

    private Path screenshot(String name) throws Exception {
        Path target = Path.of("target", name);
        Files.write(target, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        return target;
    }
}
