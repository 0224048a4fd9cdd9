package io.fleetcpu.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The service started by the test, driven by headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}) as a person at a browser uses the dashboard. Without Chromium the tests are skipped,
 * except in CI ({@code CI=true}), where that is a failure: the dashboard would go untested.
 */
public abstract class BrowserTest extends ApiAssertions {

    /** Where the screenshots go, for people to look at. */
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /**
     * Selenium warns that it has no DevTools binding for this Chromium's version; the tests use WebDriver alone.
     * Kept here, as java.util.logging holds its loggers weakly.
     */
    private static final java.util.logging.Logger CDP_WARNINGS =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    private static ChromeDriver browser;
    /** Why there is no browser, or null. */
    private static String missing;

    @BeforeAll
    static void startBrowser() {
        CDP_WARNINGS.setLevel(Level.SEVERE);
        Optional<Path> chromium = onPath("chromium", "chromium-browser", "google-chrome");
        Optional<Path> driver = onPath("chromedriver");
        if (chromium.isEmpty() || driver.isEmpty()) {
            missing = "headless Chromium is not installed (" + (chromium.isEmpty() ? "no chromium" : "")
                    + (driver.isEmpty() ? " no chromedriver" : "")
                    + " on PATH); apt-get install chromium chromium-driver";
            return;
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1400,1800",
                "--lang=en-US",
                "--no-first-run",
                "--disable-extensions");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.get().toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
        missing = null;
    }

    /** Each test is reported skipped without Chromium, or failed in CI. */
    @BeforeEach
    void needsTheBrowser() {
        if (missing != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(missing + ": CI must run the browser tests");
            }
            Assumptions.abort(missing);
        }
        browser.manage().logs().get(LogType.BROWSER); // forget earlier tests' console messages
    }

    private static Optional<Path> onPath(String... names) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String name : names) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    protected ChromeDriver browser() {
        return browser;
    }

    /** Opens a page of the service and checks the browser reported no error loading and running it. */
    protected void open(String path) {
        browser.get(uri(path).toString());
        assertNoConsoleErrors(path);
    }

    /**
     * Every message the page wrote to the console at error level: failed loads, script errors and Content-Security
     * -Policy violations (Chromium reports those as errors), none of which a person would see.
     */
    protected void assertNoConsoleErrors(String where) {
        assertNoConsoleErrorsBut(where, null);
    }

    /** @param expected a message the page may have caused (the status of a refused form's answer), or null */
    protected void assertNoConsoleErrorsBut(String where, String expected) {
        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::toString)
                .filter(e -> expected == null || !e.contains(expected))
                .toList();
        assertThat(errors).as("console errors and warnings of %s", where).isEmpty();
    }

    /**
     * Clicks a link or a form's submit button and waits until the next page has replaced this one: under load the
     * click can return before the browser has left the page, and what is read next would be the old page.
     */
    protected void clickAndLoad(WebElement element) {
        loadAfter(element::click);
    }

    /** Does what leaves the page (a click, a key pressed on a submit button) and waits for the next page, whole. */
    protected void loadAfter(Runnable leavingThePage) {
        WebElement page = find("html");
        leavingThePage.run();
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(ExpectedConditions.stalenessOf(page));
        new WebDriverWait(browser, Duration.ofSeconds(60))
                .until(b -> "complete".equals(((JavascriptExecutor) b).executeScript("return document.readyState")));
    }

    /** The element's text once it holds {@code expected}: what a page's script writes may come a moment later. */
    protected String textOnceItHas(String css, String expected) {
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), expected));
        return find(css).getText();
    }

    protected WebElement find(String css) {
        return browser.findElement(By.cssSelector(css));
    }

    protected List<WebElement> findAll(String css) {
        return browser.findElements(By.cssSelector(css));
    }

    /** The element's text exactly as the document holds it (Selenium's getText trims and folds spaces). */
    protected static String text(WebElement element) {
        return element.getDomProperty("textContent");
    }

    /** Saves what the browser shows now, the page or one element of it. */
    protected void screenshot(String name, WebElement element) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = element != null
                    ? element.getScreenshotAs(OutputType.FILE)
                    : ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static Stream<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty());
    }
}
