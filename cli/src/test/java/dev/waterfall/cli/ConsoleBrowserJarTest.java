package dev.waterfall.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The settings console in a real browser: Debian's headless Chromium, driven through chromedriver
 * by Selenium, on a real {@code waterfall serve} process, while real {@code waterfall set}
 * processes write the same store. One browser session serves every test (in order: they share
 * the store), so the class takes seconds, not minutes.
 */
@Tag("packaged")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConsoleBrowserJarTest {

    private static final String STORED_SECRET = "stored-s3cret-7e6d5c";
    private static final String LIVE_SECRET = "live-s3cret-4b3a2f";
    private static final String ENV_SECRET = "env-s3cret-1a2b3c";

    private Path home;
    private String store;
    private Served served;
    private WebDriver browser;

    /** A running {@code waterfall serve}: its process, its address, its stderr file. */
    private record Served(Process process, String url, int port, Path err) {
        int stop() throws InterruptedException {
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped by SIGTERM").isTrue();
            return process.exitValue();
        }
    }

    @BeforeAll
    void start() throws Exception {
        home = Files.createTempDirectory("waterfall-console");
        store = "json:" + home.resolve("config.json");
        Files.writeString(home.resolve("defaults.json"), "{\n  \"server\": {\"port\": 80, \"host\": \"localhost\"},\n  \"log\": {\"level\": \"info\"}\n}\n");
        cli("set", "server.port", "8080");
        cli("set", "db.password", STORED_SECRET, "--plaintext-secret");
        cli("set", "mail.password", "stored-but-overridden", "--plaintext-secret");
        served = serve();

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1100,800",
                "--no-first-run", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (served != null && served.process().isAlive()) {
                served.process().destroyForcibly();
            }
        }
    }

    /** Runs {@code waterfall serve} on the test's store, with a defaults file and two variables, and reads its address. */
    private Served serve(String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(Processes.java(), "-cp", Processes.jar().toString(), WaterfallCli.class.getName(),
                "--store", store, "--defaults", home.resolve("defaults.json").toString(), "serve"));
        command.addAll(List.of(options));
        Path err = Files.createTempFile(home, "serve", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(Processes.cleanEnvironment(home));
        builder.environment().put("WATERFALL_SERVER_HOST", "example.org");
        builder.environment().put("WATERFALL_MAIL_PASSWORD", ENV_SECRET);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).as("the first line of stdout; stderr: %s", Files.readString(err))
                .matches("http://127\\.0\\.0\\.1:\\d+/\\?token=[A-Za-z0-9_-]{32}");
        int port = Integer.parseInt(first.substring("http://127.0.0.1:".length(), first.indexOf("/?")));
        return new Served(process, first, port, err);
    }

    /** Runs {@code waterfall args} on the test's store in a process of its own: another writer, as a person's shell is. */
    private Processes.Result cliProcess(String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("--store", store));
        all.addAll(List.of(args));
        Processes.Result result = Processes.runJar(home, all.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    /**
     * Runs {@code waterfall args} on the test's store in this JVM (the same code, locks across
     * processes as any writer), for setting up and checking: a JVM per check would cost the class
     * its time budget.
     */
    private Cli.Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of("--store", store));
        all.addAll(List.of(args));
        Cli.Result result = new Cli(home).run(all.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isZero();
        return result;
    }

    private WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    private void open(String url) {
        browser.get(url);
        waiting().until(driver -> "true".equals(driver.findElement(By.tagName("body")).getAttribute("data-ready")));
    }

    private WebElement row(String key) {
        return browser.findElement(By.cssSelector("tr[data-key='" + key + "']"));
    }

    private String cell(String key, String name) {
        return row(key).findElement(By.cssSelector("td." + name)).getText();
    }

    private void waitForValue(String key, String value) {
        waiting().until(driver -> {
            List<WebElement> rows = driver.findElements(By.cssSelector("tr[data-key='" + key + "'] td.value code"));
            return !rows.isEmpty() && rows.get(0).getText().equals(value);
        });
    }

    private void startEdit(String key, String value) {
        row(key).findElement(By.cssSelector("button.edit")).click();
        WebElement input = row(key).findElement(By.cssSelector("input.edit-input"));
        input.clear();
        input.sendKeys(value);
    }

    @Test
    @Order(1)
    void page_showsEachKey_withItsWinningLayer_origin_andTheLayersItShadows() throws Exception {
        open(served.url());

        assertThat(browser.getCurrentUrl()).as("the token leaves the address bar").doesNotContain("token=");
        assertThat(cell("server.port", "value")).isEqualTo("8080");
        assertThat(cell("server.port", "layer")).isEqualTo("store");
        assertThat(cell("server.port", "origin")).matches("json:" + home.resolve("config.json") + ":\\d+");
        assertThat(cell("server.port", "shadows")).contains("defaults 80 (" + home.resolve("defaults.json") + ":2)");
        assertThat(cell("server.host", "layer")).isEqualTo("env");
        assertThat(cell("server.host", "origin")).isEqualTo("WATERFALL_SERVER_HOST");
        assertThat(cell("server.host", "value")).contains("\"example.org\"", "WATERFALL_SERVER_HOST");
        assertThat(cell("log.level", "layer")).isEqualTo("defaults");
        assertThat(cell("db.password", "value")).isEqualTo("<redacted>");

        browser.findElement(By.id("filter")).sendKeys("log");
        assertThat(browser.findElements(By.cssSelector("tr[data-key]"))).extracting(row -> row.getAttribute("data-key"))
                .containsExactly("log.level");
        browser.findElement(By.id("filter")).sendKeys(Keys.BACK_SPACE, Keys.BACK_SPACE, Keys.BACK_SPACE);
        waiting().until(driver -> driver.findElements(By.cssSelector("tr[data-key]")).size() == 5);

        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Processes.repository().resolve("cli/target/console.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Order(2)
    void anEdit_isSaved_toTheStore() throws Exception {
        open(served.url());
        startEdit("server.port", "9090");
        row("server.port").findElement(By.cssSelector("button.save")).click();

        waitForValue("server.port", "9090");
        assertThat(cli("get", "server.port").out()).isEqualTo("9090\n");
        assertThat(cli("history", "server.port").out()).contains("8080 -> 9090  by console me@laptop");
    }

    @Test
    @Order(3)
    void aCliSet_appearsInTheOpenPage_withoutAReload_withWhoMadeIt() throws Exception {
        open(served.url());
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.body.dataset.marker = 'same page'");

        cliProcess("set", "server.port", "7070");
        cliProcess("set", "feature.beta", "true");

        waitForValue("server.port", "7070");
        waitForValue("feature.beta", "true");
        assertThat(row("feature.beta").findElement(By.cssSelector(".by")).getText()).startsWith("changed by cli me@laptop pid ");
        assertThat(browser.findElement(By.tagName("body")).getAttribute("data-marker")).as("no reload").isEqualTo("same page");
    }

    @Test
    @Order(4)
    void twoBrowsersEditTheSameKey_theSecondToSave_getsTheConflictScreen_andChooses() throws Exception {
        open(served.url());
        String first = browser.getWindowHandle();
        startEdit("server.port", "1111");

        browser.switchTo().newWindow(WindowType.TAB);
        open(served.url());
        startEdit("server.port", "2222");
        row("server.port").findElement(By.cssSelector("button.save")).click();
        waitForValue("server.port", "2222");
        browser.close();

        browser.switchTo().window(first);
        row("server.port").findElement(By.cssSelector("button.save")).click();
        WebElement conflict = browser.findElement(By.id("conflict"));
        waiting().until(driver -> conflict.isDisplayed());
        assertThat(browser.findElement(By.id("conflict-theirs")).getText()).isEqualTo("2222");
        assertThat(browser.findElement(By.id("conflict-by")).getText()).startsWith("console me@laptop pid ");
        assertThat(browser.findElement(By.id("conflict-mine")).getText()).isEqualTo("1111");
        assertThat(cli("get", "server.port").out()).as("nothing overwritten silently").isEqualTo("2222\n");

        browser.findElement(By.id("conflict-overwrite")).click();
        waitForValue("server.port", "1111");
        assertThat(cli("get", "server.port").out()).isEqualTo("1111\n");
    }

    @Test
    @Order(5)
    void secrets_neverReachThePage_neitherListedNorLive_norInHistory() throws Exception {
        open(served.url());
        cliProcess("set", "db.password", LIVE_SECRET, "--plaintext-secret");
        waiting().until(driver -> !driver.findElements(By.cssSelector("tr[data-key='db.password'] .by")).isEmpty());
        String keysPage = browser.getPageSource();
        browser.findElement(By.cssSelector("nav button[data-section='history']")).click();
        waiting().until(driver -> !driver.findElements(By.cssSelector("#history-rows tr")).isEmpty());
        String historyPage = browser.getPageSource();

        assertThat(keysPage + historyPage).contains("db.password", "mail.password", "WATERFALL_MAIL_PASSWORD", "&lt;redacted&gt;")
                .doesNotContain(STORED_SECRET, LIVE_SECRET, ENV_SECRET, "stored-but-overridden");
    }

    @Test
    @Order(6)
    void aHandBrokenFile_showsTheErrorWithLineAndColumn_andRestoreBringsItBack() throws Exception {
        open(served.url());
        Files.writeString(home.resolve("config.json"), "{\n  \"server\": {\n    \"port\": 80,,\n");
        browser.navigate().refresh();
        WebElement broken = browser.findElement(By.id("broken"));
        waiting().until(driver -> broken.isDisplayed());
        assertThat(browser.findElement(By.id("broken-message")).getText()).contains(home.resolve("config.json") + ":3:");

        browser.findElement(By.id("restore")).click();
        waiting().until(driver -> !broken.isDisplayed());
        waitForValue("server.port", "1111");
        assertThat(cli("get", "server.port").out()).isEqualTo("1111\n");
    }

    @Test
    @Order(7)
    void readOnly_showsNoWayToWrite() throws Exception {
        Served readOnly = serve("--read-only");
        try {
            open(readOnly.url());
            assertThat(browser.findElement(By.id("store")).getText()).endsWith("(read-only)");
            assertThat(cell("server.port", "value")).isEqualTo("1111");
            assertThat(row("server.port").findElement(By.cssSelector("button.edit")).isDisplayed()).isFalse();
            assertThat(browser.findElement(By.id("add")).isDisplayed()).isFalse();
        } finally {
            assertThat(readOnly.stop()).isEqualTo(143);
        }
    }

    @Test
    @Order(8)
    void sigterm_stopsTheConsole_andItsPortCloses() throws Exception {
        assertThat(served.stop()).as("the JVM's exit code after SIGTERM").isEqualTo(143);
        assertThat(Files.readString(served.err())).startsWith("serving " + store + " on 127.0.0.1:" + served.port() + "; Ctrl-C stops");
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), served.port()).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    @Order(9)
    void get_loadsNothingOfTheConsole() throws Exception {
        Path log = home.resolve("classes.txt");
        List<String> command = List.of(Processes.java(), "-Xlog:class+load=info:file=" + log, "-cp", Processes.jar().toString(),
                WaterfallCli.class.getName(), "--store", store, "get", "server.port");
        Processes.Result get = Processes.run(command, home, Processes.cleanEnvironment(home), Duration.ofMinutes(1));

        assertThat(get.out()).as(get.toString()).isEqualTo("1111\n");
        assertThat(Files.readString(log)).contains("dev.waterfall.config.Waterfall")
                .doesNotContain("dev.waterfall.console.", "com.sun.net.httpserver.");
    }
}
