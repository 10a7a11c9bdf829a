package org.hmssync.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hmssync.support.RunningHub.event;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a real headless Chromium (Debian's chromium and chromium-driver), driven by
 * Selenium: the Ohio event green on all three systems, a red parked event while the dashboard is down,
 * replay after it came back, green again. Screenshots land in target/ for a person to look at.
 */
class ConsoleBrowserIT {

    @TempDir
    Path data;
    @TempDir
    Path profile;
    RunningHub hub;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void start() throws Exception {
        hub = RunningHub.start(data);
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
        hub.close();
    }

    @Test
    void anOperatorSeesTheWalkThroughAndReplaysFromTheBrowser() throws Exception {
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
