package io.splicelab.gateway;

import static io.restassured.RestAssured.given;
import static io.splicelab.gateway.ItSupport.CONFIG;
import static io.splicelab.gateway.ItSupport.SPLICER;
import static io.splicelab.gateway.ItSupport.STATS;
import static io.splicelab.gateway.ItSupport.TRAINER;
import static io.splicelab.gateway.ItSupport.cell;
import static io.splicelab.gateway.ItSupport.checkpoint;
import static io.splicelab.gateway.ItSupport.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import io.splicelab.model.events.Payloads.TcVariant;
import io.splicelab.model.events.Topics;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium: a run is started from the page, the test plays the trainer and the
 * splicer on the real broker step by step, and after each step the open page shows the new curve points,
 * heat-map cells and analyses, live, without reloading. Skipped when Debian's chromium or chromedriver is
 * missing ({@code apt-get install -y --no-install-recommends chromium chromium-driver}).
 */
@QuarkusTest
class DashboardIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static WebDriver driver;
    private static Path profile;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void browser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "dashboard test skipped: needs /usr/bin/chromium and /usr/bin/chromedriver "
                        + "(apt-get install -y --no-install-recommends chromium chromium-driver)");
        profile = Files.createTempDirectory("dashboard-it-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-dev-shm-usage", "--window-size=1400,2400",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    @AfterAll
    static void closeBrowser() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aRunStartedFromThePageFillsItsChartsLiveWhileTraining() throws Exception {
        driver.get(base + "index.html");
        waitFor("the run list", d -> d.findElement(By.id("live")).getText().equals("live"));
        driver.findElement(By.id("steps")).clear();
        driver.findElement(By.id("steps")).sendKeys("100");
        driver.findElement(By.id("interval")).clear();
        driver.findElement(By.id("interval")).sendKeys("50");
        driver.findElement(By.id("token")).sendKeys(ItSupport.TOKEN);
        driver.findElement(By.id("start-run")).click();
        waitFor("the run page", d -> d.getCurrentUrl().contains("/run.html?id="));
        String runId = driver.getCurrentUrl().replaceAll(".*id=", "");
        ItSupport.consumeUntil(Topics.RUN_COMMANDS, r -> runId.equals(r.key()));
        waitFor("the live stream", d -> d.findElement(By.id("live")).getText().equals("live"));
        waitFor("the test images the run is evaluated on", d -> d.findElement(By.id("summary")).getText()
                .contains("stratified size=500 seed="));
        js("window.__sameDocument = true;");

        // the trainer starts and reports progress: curve points appear one by one
        publish(TRAINER.wrap(runId, new RunStarted(runId, CONFIG, CONFIG.checkpointSteps())));
        publish(TRAINER.wrap(runId, new RunProgress(runId, 10, 100, 2.2, 0.15, 0.05, 300)));
        waitFor("the first curve point", d -> seriesLength("curves", 0) == 1);
        waitFor("status RUNNING", d -> d.findElement(By.id("run-status")).getText().equals("RUNNING"));
        publish(TRAINER.wrap(runId, new RunProgress(runId, 20, 100, 1.9, 0.25, 0.05, 300)));
        waitFor("the second curve point", d -> seriesLength("curves", 0) == 2);
        publish(TRAINER.wrap(runId, checkpoint(runId, 0, 0)));
        publish(TRAINER.wrap(runId, checkpoint(runId, 50, 1)));
        waitFor("checkpoint markers", d -> seriesLength("curves", 2) == 2);

        // the splicer evaluates hybrids: cells appear in the heat map while the run is still training
        int[][] pairs = {{0, 0}, {0, 50}, {50, 0}, {50, 50}};
        for (int i = 0; i < pairs.length; i++) {
            publish(SPLICER.wrap(runId, cell(runId, "stem", "test", pairs[i][0], pairs[i][1], 0.5 + 0.1 * i)));
            int expected = i + 1;
            waitFor(expected + " heat-map cells", d -> seriesLength("heatmap", 0) == expected);
        }
        assertEquals("RUNNING", driver.findElement(By.id("run-status")).getText());
        publish(TRAINER.wrap(runId, new RunProgress(runId, 60, 100, 1.2, 0.55, 0.05, 300)));
        waitFor("the third curve point", d -> seriesLength("curves", 0) == 3);
        // the checkpoint slider shows the grid as it was at the first checkpoint
        js("const s = document.getElementById('ckpt-slider'); s.value = 0; s.dispatchEvent(new Event('input'));");
        waitFor("one cell at checkpoint 0", d -> seriesLength("heatmap", 0) == 1);
        js("const s = document.getElementById('ckpt-slider'); s.value = s.max; s.dispatchEvent(new Event('input'));");
        waitFor("all cells again", d -> seriesLength("heatmap", 0) == 4);
        waitFor("a TC curve computed from the cells", d -> seriesLength("tc", 0) >= 1);

        // corruptions, the TC summary, class overlap, and analyses the gateway has never heard of
        publish(SPLICER.wrap(runId, cell(runId, "stem", "corrupt:fog:3", 50, 50, 0.42)));
        waitFor("the corruption table", d -> !d.findElements(By.id("corruption-table")).isEmpty()
                && d.findElement(By.id("corruption-table")).getText().contains("fog"));
        publish(SPLICER.wrap(runId, new TcSummaryComputed(runId, "stem", "test", "carry", List.of(0, 50),
                Map.of("50", 0.88), 0.88, null, 0.9)));
        waitFor("the TC score", d -> d.findElement(By.id("tc-scores")).getText().contains("0.880"));
        // issue 14: both TC variants and the pairs at chance in the score line; cells at chance grey, not perfect
        publish(SPLICER.wrap(runId, new TcSummaryComputed(runId, "stem", "test", "carry", List.of(0, 50),
                Map.of("1", 0.6), 0.6, 1, 0.9, 0.97, 0, 1,
                new TcVariant(0.6, 1, Map.of("1", 0.6), Map.of("50", 0.6), 1, 50),
                new TcVariant(null, 0, Map.of(), Map.of(), null, null))));
        waitFor("both TC variants", d -> {
            String t = d.findElement(By.id("tc-scores")).getText();
            return t.contains("TC score 0.600 over all checkpoints") && t.contains("without the initial checkpoint (step 0)")
                    && t.contains("1 pair left out (deep donor at chance)");
        });
        waitFor("the TC curve by step lag", d -> seriesLength("tc", 0) == 1);
        publish(SPLICER.wrap(runId, new HybridEvaluated(runId, "stem", "test", "carry", "float32", 50, 0, 500,
                Map.of("accuracy", 0.1), null, true)));
        js("const m = document.getElementById('metric'); m.value = 'relativeAccuracy'; m.dispatchEvent(new Event('change'));");
        waitFor("the chance cell, grey and labelled", d -> seriesLength("heatmap", 1) == 1
                && d.findElement(By.id("heatmap-chance")).isDisplayed());
        publish(STATS.wrap(runId, new StatsComputed(runId, "class-overlap-tv", "stem", "probe", List.of(50), "scalar",
                Map.of(), Map.of("meanTv", 0.3, "classes", List.of(0, 1), "classSizes", Map.of("0", 20, "1", 22),
                        "factors", Map.of("0", 0.5, "1", 0.6),
                        "densities", Map.of("0", List.of(List.of(0.1, 0.2), List.of(0.3, 0.4)),
                                "1", List.of(List.of(0.4, 0.3), List.of(0.2, 0.1))),
                        "densityAxes", List.of(List.of(-1.0, 1.0), List.of(-2.0, 2.0))))));
        waitFor("the class-overlap chart", d -> seriesLength("kde-tv", 0) == 1);
        waitFor("the KDE plot of the class densities (2 x 2 grid)", d -> seriesLength("kde", 0) == 4);
        publish(STATS.wrap(runId, new StatsComputed(runId, "plugin-table", "stem", "probe", List.of(50), "table",
                Map.of(), Map.of("columns", List.of("k", "score"), "rows", List.of(List.of(1, 0.5), List.of(2, 0.25))))));
        publish(STATS.wrap(runId, new StatsComputed(runId, "plugin-series", null, null, List.of(0, 50), "series",
                Map.of(), Map.of("x", List.of(0, 50), "y", List.of(0.9, 0.7)))));
        waitFor("a plugged-in table", d -> d.findElements(By.cssSelector("[data-analysis='plugin-table'] tbody tr"))
                .size() == 2);
        waitFor("a plugged-in line chart", d -> seriesLengthAt("[data-analysis='plugin-series'] .chart", 0) == 2);
        waitFor("the noise empty state", d -> d.findElement(By.id("noise-empty")).isDisplayed());

        // where the grid stands, from the splicer's progress; and the banner of a service that is DOWN
        publish(SPLICER.wrap(runId, new GridProgress(runId, 50, 5, 27, 12, 75, 2, GridProgress.COMPUTING, null)));
        waitFor("the grid line", d -> d.findElement(By.id("grid-line")).getText()
                .equals("hybrids 12/75 · checkpoint 50: 5/27 · computing"));
        waitFor("the banner of the DOWN stats service", d -> d.findElement(By.id("services-banner")).isDisplayed()
                && d.findElement(By.id("services-banner")).getText().startsWith("stats is DOWN"));

        assertEquals(Boolean.TRUE, js("return window.__sameDocument === true;"), "the page never reloaded");
        screenshot("dashboard-run.png");

        publish(TRAINER.wrap(runId, new RunCompleted(runId, 100, 3, 0.8)));
        waitFor("status COMPLETED", d -> d.findElement(By.id("run-status")).getText().equals("COMPLETED"));
        publish(SPLICER.wrap(runId, new GridProgress(runId, 100, 0, 27, 12, 75, 3, GridProgress.INCOMPLETE,
                "checkpoint 100 could not be evaluated")));
        waitFor("an incomplete grid says why", d -> d.findElement(By.id("grid-line")).getText()
                .startsWith("incomplete: checkpoint 100 could not be evaluated"));

        // the run list shows it, and a group page compares runs side by side
        driver.get(base + "index.html");
        waitFor("the run in the list", d -> d.findElement(By.cssSelector("tr[data-run='" + runId + "']")).getText()
                .contains("COMPLETED"));
        String group = given().header("X-Api-Token", ItSupport.TOKEN).contentType(ContentType.JSON)
                .body("{\"factor\":\"seed\",\"values\":[1,2]}").post("/api/groups").then().statusCode(202).extract()
                .path("groupId");
        List<String> members = given().get("/api/groups/" + group).path("runs.run.runId");
        driver.get(base + "group.html?id=" + group);
        waitFor("two runs side by side", d -> d.findElements(By.cssSelector("#members tbody tr")).size() == 2);
        publish(TRAINER.wrap(members.get(0), new RunProgress(members.get(0), 5, 100, 2.0, 0.2, 0.05, 100)));
        waitFor("a live curve point on the group page", d -> seriesLength("group-curves", 0) == 1);
        screenshot("dashboard-group.png");
    }

    private static int seriesLength(String chartId, int series) {
        return seriesLengthAt("#" + chartId, series);
    }

    /** The number of data items ECharts holds in one series of the chart on the element. */
    private static int seriesLengthAt(String selector, int series) {
        Object n = js("const e = document.querySelector(arguments[0]); const c = e && echarts.getInstanceByDom(e);"
                + "if (!c) return -1; const s = c.getOption().series; return s.length > arguments[1] ? "
                + "s[arguments[1]].data.length : -1;", selector, series);
        return ((Number) n).intValue();
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static void waitFor(String what, java.util.function.Function<WebDriver, Boolean> condition) {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100)).ignoring(RuntimeException.class)
                    .withMessage(what).until(condition::apply);
        } catch (RuntimeException e) {
            screenshot("dashboard-failure.png");
            throw e;
        }
    }

    private static void screenshot(String name) {
        try {
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Path target = Path.of("target", name);
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            assertTrue(Files.size(target) > 0);
        } catch (Exception e) {
            System.err.println("could not save screenshot " + name + ": " + e);
        }
    }
}
