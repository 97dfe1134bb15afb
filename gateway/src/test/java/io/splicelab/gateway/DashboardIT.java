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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.events.Payloads.RunCancelled;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import io.splicelab.model.events.Payloads.TcVariant;
import io.splicelab.model.events.Topics;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium: a run is named and started from the page's form, the test plays the trainer,
 * the splicer and the stats service on the real broker step by step (corrupted sets under the splicer's names,
 * {@code fog-3}; a plug-in's series, table and wide scalars; a group), and after each step the open page shows the new
 * curve points, heat-map cells and analyses, live, without reloading. Every page is then checked at 1600x1000 and
 * 1280x800: no text of a chart overlaps another or is cut at the chart's edge (SVG text boxes), no card is wider than
 * its box, no error in the browser's console; screenshots of each page at each size (the viewport and the whole page)
 * go to {@code gateway/target/screenshots/}. Skipped when Debian's chromium or chromedriver is missing
 * ({@code apt-get install -y --no-install-recommends chromium chromium-driver}).
 */
@QuarkusTest
class DashboardIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Where the screenshots go: {@code <page>-<width>x<height>.png} (viewport) and {@code ...-full.png}. */
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final int[][] SIZES = {{1600, 1000}, {1280, 800}};

    private static ChromeDriver driver;
    /** Layout problems of every page, asserted at the end so that one run shows them all. */
    private static final List<String> LAYOUT = new ArrayList<>();
    private static Path profile;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void browser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "dashboard test skipped: needs /usr/bin/chromium and /usr/bin/chromedriver "
                        + "(apt-get install -y --no-install-recommends chromium chromium-driver)");
        profile = Files.createTempDirectory("dashboard-it-chromium");
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-dev-shm-usage", "--window-size=1600,1000",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        viewport(SIZES[0][0], SIZES[0][1]);
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
        waitFor("the form's choices", d -> new Select(d.findElement(By.id("dataset"))).getOptions().size() > 1
                && new Select(d.findElement(By.id("architecture"))).getOptions().size() > 1);
        type("name", "baseline, lr 0.1");
        new Select(driver.findElement(By.id("dataset"))).selectByValue("synthetic");
        new Select(driver.findElement(By.id("architecture"))).selectByValue("resnet20");
        type("lr", "0.1");
        type("steps", "100");
        type("interval", "50");
        type("tags", "smoke, lr-sweep");
        driver.findElement(By.id("token")).sendKeys(ItSupport.TOKEN);
        driver.findElement(By.id("start-run")).click();
        waitFor("the run page", d -> d.getCurrentUrl().contains("/run.html?id="));
        String runId = driver.getCurrentUrl().replaceAll(".*id=", "");
        ItSupport.consumeUntil(Topics.RUN_COMMANDS, r -> runId.equals(r.key()));
        assertEquals(0.1, given().get("/api/runs/" + runId).jsonPath().getDouble("config.learningRate"));
        waitFor("the live stream", d -> d.findElement(By.id("live")).getText().equals("live"));
        waitFor("the run's name and tags", d -> d.findElement(By.id("run-name")).getText().equals("baseline, lr 0.1")
                && d.findElement(By.id("run-tags")).getText().contains("lr-sweep"));
        waitFor("the test images the run is evaluated on", d -> d.findElement(By.id("summary")).getText()
                .contains("stratified size=500 seed="));
        waitFor("the configuration table", d -> d.findElement(By.id("config-table")).getText()
                .contains("learningRate 0.1"));
        js("window.__sameDocument = true;");

        // the trainer starts and reports progress: curve points appear one by one, with the learning rate
        publish(TRAINER.wrap(runId, new RunStarted(runId, CONFIG, CONFIG.checkpointSteps())));
        publish(TRAINER.wrap(runId, new RunProgress(runId, 10, 100, 2.2, 0.15, 0.1, 300)));
        waitFor("the first curve point", d -> seriesLength("curves", 0) == 1);
        waitFor("status RUNNING", d -> d.findElement(By.id("run-status")).getText().equals("RUNNING"));
        publish(TRAINER.wrap(runId, new RunProgress(runId, 20, 100, 1.9, 0.25, 0.1, 300)));
        waitFor("the second curve point", d -> seriesLength("curves", 0) == 2);
        waitFor("the learning rate", d -> points("lr") == 2);
        // step 0 as the trainer reports it: nothing measured yet (0, 0), so no marker at step 0
        publish(TRAINER.wrap(runId, stepZero(runId)));
        publish(TRAINER.wrap(runId, checkpoint(runId, 50, 1)));
        waitFor("checkpoint markers", d -> points("curves") == 4);
        assertEquals(1, seriesLength("curves", 2), "the step-0 checkpoint's training accuracy is not measured");

        // the splicer evaluates hybrids: cells appear in the heat map while the run is still training
        int[][] pairs = {{0, 0}, {0, 50}, {50, 0}, {50, 50}};
        for (int i = 0; i < pairs.length; i++) {
            publish(SPLICER.wrap(runId, cell(runId, "stem", "test", pairs[i][0], pairs[i][1], 0.5 + 0.1 * i)));
            int expected = i + 1;
            waitFor(expected + " heat-map cells", d -> seriesLength("heatmap", 0) == expected);
        }
        assertEquals(Boolean.TRUE, js("const o = echarts.getInstanceByDom(document.getElementById('heatmap')).getOption();"
                + "return o.yAxis[0].inverse === true && o.yAxis[0].data[0] === '0' && o.xAxis[0].position === 'top'"
                + " && o.visualMap[0].min === 0 && o.visualMap[0].max === 1;"),
                "step 0 at the top left, as the CLI prints the grid; accuracies on a fixed [0, 1] colour scale");
        waitFor("test accuracy over training (the grid's diagonal)", d -> points("test-curve") == 2);
        assertEquals("RUNNING", driver.findElement(By.id("run-status")).getText());
        publish(TRAINER.wrap(runId, new RunProgress(runId, 60, 100, 1.2, 0.55, 0.01, 300)));
        waitFor("the third curve point", d -> seriesLength("curves", 0) == 3);
        // the checkpoint slider shows the grid as it was at the first checkpoint
        js("const s = document.getElementById('ckpt-slider'); s.value = 0; s.dispatchEvent(new Event('input'));");
        waitFor("one cell at checkpoint 0", d -> seriesLength("heatmap", 0) == 1);
        js("const s = document.getElementById('ckpt-slider'); s.value = s.max; s.dispatchEvent(new Event('input'));");
        waitFor("all cells again", d -> seriesLength("heatmap", 0) == 4);
        waitFor("a TC curve computed from the cells", d -> seriesLength("tc", 0) >= 1);
        // smoothing keeps the raw curve beside the smoothed one
        new Select(driver.findElement(By.id("smoothing"))).selectByValue("0.9");
        waitFor("the raw curves under the smoothed ones", d -> seriesCount("curves") == 6);

        // corrupted test subsets under the splicer's names, at the latest checkpoint that has them
        publish(SPLICER.wrap(runId, cell(runId, "stem", "fog-3", 0, 0, 0.11)));
        publish(SPLICER.wrap(runId, cell(runId, "stem", "fog-3", 50, 50, 0.42)));
        publish(SPLICER.wrap(runId, cell(runId, "stem", "fog-5", 50, 50, 0.21)));
        publish(SPLICER.wrap(runId, cell(runId, "stem", "gaussian_noise-2", 50, 50, 0.33)));
        waitFor("the corruption table", d -> d.findElement(By.id("corruption-table")).getText()
                .contains("fog – 0.420 0.210"));
        assertTrue(driver.findElement(By.id("corruption-table")).getText().contains("gaussian_noise 0.330 – –"));
        waitFor("the corruption chart", d -> points("corruption-chart") == 3);

        // TC summaries per cut: stem, the first cut, comes first
        publish(SPLICER.wrap(runId, new TcSummaryComputed(runId, "stage1", "test", "carry", List.of(0, 50),
                Map.of("50", 0.8), 0.8, null, 0.9)));
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

        // class overlap with its densities: a legend of classes, a density scale, axes with ticks
        publish(STATS.wrap(runId, new StatsComputed(runId, "class-overlap-tv", "stem", "probe", List.of(50), "scalar",
                Map.of(), Map.of("meanTv", 0.3, "classes", List.of(0, 1), "classSizes", Map.of("0", 20, "1", 22),
                        "factors", Map.of("0", 0.5, "1", 0.6), "explainedVariance", List.of(0.42, 0.21),
                        "densities", Map.of("0", List.of(List.of(0.1, 0.2), List.of(0.3, 0.4)),
                                "1", List.of(List.of(0.4, 0.3), List.of(0.2, 0.1))),
                        "densityAxes", List.of(List.of(-1.0, 1.0), List.of(-2.0, 2.0))))));
        waitFor("the class-overlap chart", d -> seriesLength("kde-tv", 0) == 1);
        waitFor("the KDE plot of the class densities (2 x 2 grid)", d -> points("kde") == 4);
        assertEquals(Boolean.TRUE, js("const o = echarts.getInstanceByDom(document.getElementById('kde')).getOption();"
                + "return o.series.map(s => s.name).join() === '0,1' && o.legend.length === 1 && o.visualMap.length === 1"
                + " && o.xAxis[0].axisLabel.show !== false && o.yAxis[0].name.startsWith('PC2');"),
                "a legend of the classes, a density scale and ticked PC axes");

        // plugged-in analyses: a table, a series, and scalars too many to fit the card's width
        publish(STATS.wrap(runId, new StatsComputed(runId, "plugin-table", "stem", "probe", List.of(50), "table",
                Map.of(), Map.of("columns", List.of("k", "score"), "rows", List.of(List.of(1, 0.5), List.of(2, 0.25))))));
        publish(STATS.wrap(runId, new StatsComputed(runId, "plugin-series", null, null, List.of(0, 50), "series",
                Map.of(), Map.of("x", List.of(0, 50), "y", List.of(0.9, 0.7)))));
        Map<String, Object> wide = new LinkedHashMap<>();
        for (int i = 0; i < 18; i++) {
            wide.put("scalarWithALongName" + i, i % 2 == 0 ? 500 : 0.123456);
        }
        publish(STATS.wrap(runId, new StatsComputed(runId, "plugin-scalars", "stem", "probe", List.of(50), "scalar",
                Map.of(), wide)));
        waitFor("a plugged-in table", d -> d.findElements(By.cssSelector("[data-analysis='plugin-table'] tbody tr"))
                .size() == 2);
        waitFor("a plugged-in line chart", d -> seriesLengthAt("[data-analysis='plugin-series'] .chart", 0) == 2);
        waitFor("the wide scalars", d -> !d.findElements(By.cssSelector("[data-analysis='plugin-scalars'] td")).isEmpty());
        String scalars = driver.findElement(By.cssSelector("[data-analysis='plugin-scalars'] tbody")).getAttribute("textContent");
        assertTrue(scalars.contains("500") && !scalars.contains("500.0"), "integers print as integers: " + scalars);
        waitFor("the noise empty state", d -> d.findElement(By.id("noise-empty")).isDisplayed());

        // where the grid stands, from the splicer's progress; and the banner of a service that is DOWN
        publish(SPLICER.wrap(runId, new GridProgress(runId, 50, 5, 27, 12, 75, 2, GridProgress.COMPUTING, null)));
        waitFor("the grid line", d -> d.findElement(By.id("grid-line")).getText()
                .equals("hybrids 12/75 · checkpoint 50: 5/27 · computing"));
        waitFor("the banner of the DOWN stats service", d -> d.findElement(By.id("services-banner")).isDisplayed()
                && d.findElement(By.id("services-banner")).getText().startsWith("stats is DOWN"));

        // notes written on the page, with the token kept from the form
        driver.findElement(By.id("edit-labels")).click();
        waitFor("the labels form", d -> d.findElement(By.id("label-name")).getAttribute("value")
                .equals("baseline, lr 0.1"));
        driver.findElement(By.id("label-notes")).sendKeys("first try: no warm-up");
        driver.findElement(By.id("save-labels")).click();
        waitFor("the notes", d -> d.findElement(By.id("run-notes")).getText().equals("first try: no warm-up"));
        assertEquals("first try: no warm-up", given().get("/api/runs/" + runId).path("notes"));

        exportsOfTheCurves();
        assertEquals(Boolean.TRUE, js("return window.__sameDocument === true;"), "the page never reloaded");
        checkPage("run");

        publish(TRAINER.wrap(runId, new RunCompleted(runId, 100, 3, 0.8)));
        waitFor("status COMPLETED", d -> d.findElement(By.id("run-status")).getText().equals("COMPLETED"));
        publish(SPLICER.wrap(runId, new GridProgress(runId, 100, 0, 27, 12, 75, 3, GridProgress.INCOMPLETE,
                "checkpoint 100 could not be evaluated")));
        waitFor("an incomplete grid says why", d -> d.findElement(By.id("grid-line")).getText()
                .startsWith("incomplete: checkpoint 100 could not be evaluated"));

        // the run list shows it, finds it by configuration, name and tag, and shows the services' health
        driver.get(base + "index.html");
        waitFor("the run in the list", d -> d.findElement(By.cssSelector("tr[data-run='" + runId + "']")).getText()
                .contains("COMPLETED"));
        search("lr=0.1 tag:smoke");
        waitFor("found by lr and tag", d -> d.findElements(By.cssSelector("#runs tbody tr")).size() == 1
                && !d.findElements(By.cssSelector("tr[data-run='" + runId + "']")).isEmpty());
        search("baseline");
        waitFor("found by name", d -> !d.findElements(By.cssSelector("tr[data-run='" + runId + "']")).isEmpty());
        search("lr=0.3");
        waitFor("nothing found", d -> d.findElements(By.cssSelector("#runs tbody tr")).isEmpty()
                && d.findElement(By.id("runs-empty")).getText().equals("No run matches."));
        search("");
        new Select(driver.findElement(By.id("filter-tag"))).selectByValue("lr-sweep");
        waitFor("filtered by tag", d -> d.findElements(By.cssSelector("#runs tbody tr")).size() == 1);
        new Select(driver.findElement(By.id("filter-tag"))).selectByValue("");
        waitFor("service health", d -> d.findElement(By.cssSelector("#health tr[data-service='stats']")).getText()
                .contains("DOWN") && d.findElement(By.cssSelector("#health tr[data-service='gateway']")).getText()
                .contains("UP"));
        checkPage("index");

        // a group compares runs side by side; its TC curves are of the first cut (stem), not stage1
        String group = given().header("X-Api-Token", ItSupport.TOKEN).contentType(ContentType.JSON)
                .body("{\"name\":\"seeds on the dashboard\",\"factor\":\"seed\",\"values\":[1,2]}").post("/api/groups").then()
                .statusCode(202).extract().path("groupId");
        List<String> members = given().get("/api/groups/" + group).path("runs.run.runId");
        driver.get(base + "group.html?id=" + group);
        waitFor("two runs side by side", d -> d.findElements(By.cssSelector("#members tbody tr")).size() == 2);
        publish(TRAINER.wrap(members.get(0), new RunProgress(members.get(0), 5, 100, 2.0, 0.2, 0.05, 100)));
        waitFor("a live curve point on the group page", d -> seriesLength("group-curves", 0) == 1);
        for (String member : members) {
            publish(SPLICER.wrap(member, new TcSummaryComputed(member, "stage1", "test", "carry", List.of(0, 50),
                    Map.of("50", 0.7), 0.7, null, 0.9)));
            publish(SPLICER.wrap(member, new TcSummaryComputed(member, "stem", "test", "carry", List.of(0, 50),
                    Map.of("50", 0.9), 0.9, null, 0.9)));
        }
        waitFor("the TC curves of the first cut", d -> d.findElement(By.id("tc-which")).getText().equals("(stem · test)")
                && d.findElements(By.cssSelector("#members tbody tr")).stream()
                        .allMatch(tr -> tr.getText().endsWith("0.900 (stem)")));
        checkPage("group");

        // two runs' configurations side by side: what differs
        driver.get(base + "run.html?id=" + runId + "&compare=" + members.get(0));
        waitFor("the configuration diff", d -> d.findElement(By.id("config-table")).getText()
                .contains("learningRate 0.1 0.05"));
        assertTrue(driver.findElements(By.cssSelector("#config-table tbody tr:not(.differs)")).isEmpty(),
                "only the differences by default");
        checkPage("run-compare");

        // a cancelled run that has not started says so at once, and turns CANCELLED when the trainer confirms
        driver.get(base + "run.html?id=" + members.get(1));
        waitFor("the queued run", d -> d.findElement(By.id("run-status")).getText().startsWith("REQUESTED"));
        driver.findElement(By.id("cancel")).click();
        waitFor("the pending cancel", d -> d.findElement(By.id("cancel-pending")).isDisplayed());
        publish(TRAINER.wrap(members.get(1), new RunCancelled(members.get(1), 0)));
        waitFor("status CANCELLED", d -> d.findElement(By.id("run-status")).getText().equals("CANCELLED"));
        assertNoConsoleErrors("the cancelled run's page");

        anExperimentComparesItsVariantsWithBandsOverSeeds();
        assertEquals(List.of(), LAYOUT, "layout problems (screenshots in " + SCREENSHOTS.toAbsolutePath() + ")");
    }

    /**
     * An experiment of two variants x two seeds, launched through the API, played on the broker (progress,
     * checkpoints, diagonal and off-diagonal hybrid cells, a corrupted set, completion), then its page: the figures
     * per variant with mean ± sd, curves with a band per variant, a link from a member run's page.
     */
    private void anExperimentComparesItsVariantsWithBandsOverSeeds() throws Exception {
        int[] steps = {0, 20, 40};
        String name = "width sweep " + (System.nanoTime() % 100000);
        var accepted = ItSupport.authed().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\","
                + "\"base\":{\"steps\":40,\"checkpointInterval\":20},\"variants\":{\"baseline\":{},"
                + "\"frozen\":{\"freezeCut\":\"stage1\",\"freezeStep\":10}},\"seeds\":[1,2]}").post("/api/experiments");
        accepted.then().statusCode(202);
        String experimentId = accepted.path("experimentId");
        List<String> runIds = accepted.path("runs.runId");
        runIds.forEach(ItSupport::awaitRun);
        for (int i = 0; i < runIds.size(); i++) {
            String runId = runIds.get(i);
            int variant = i / 2;
            int seed = i % 2 + 1;
            publish(TRAINER.wrap(runId, new RunStarted(runId, CONFIG, List.of(0, 20, 40))));
            for (int t = 10; t <= 40; t += 10) {
                publish(TRAINER.wrap(runId, new RunProgress(runId, t, 40, 2.0 - 0.03 * t + 0.1 * seed + 0.2 * variant,
                        0.2 + 0.012 * t + 0.03 * seed - 0.05 * variant, 0.1, 100)));
            }
            for (int k = 0; k < steps.length; k++) {
                publish(TRAINER.wrap(runId, checkpoint(runId, steps[k], k)));
            }
            for (int a = 0; a < steps.length; a++) {
                for (int b = 0; b < steps.length; b++) {
                    double acc = 0.35 + 0.2 * Math.min(a, b) + 0.05 * seed - 0.1 * variant;
                    publish(SPLICER.wrap(runId, cell(runId, "stem", "test", steps[a], steps[b], a == b ? acc : acc * 0.95)));
                }
                publish(SPLICER.wrap(runId, cell(runId, "stem", "fog-3", steps[a], steps[a],
                        0.3 + 0.1 * a + 0.02 * seed - 0.05 * variant)));
            }
            publish(TRAINER.wrap(runId, new RunCompleted(runId, 40, 3, 0.9)));
            publish(SPLICER.wrap(runId, new GridProgress(runId, 40, 12, 12, 36, 36, 3, GridProgress.COMPLETE, null)));
        }
        ItSupport.await(() -> "finished".equals(given().get("/api/experiments/" + experimentId).path("status")),
                "the experiment settled");

        driver.get(base + "experiment.html?id=" + experimentId);
        waitFor("the experiment's name", d -> d.findElement(By.id("exp-name")).getText().equals(name));
        waitFor("the figures per variant, mean ± sd over two seeds", d -> {
            String t = d.findElement(By.id("figures")).getText();
            return t.contains("final test accuracy 0.825 ± 0.035 (n=2) 0.725 ± 0.035 (n=2)")
                    && t.contains("TC · stem · test");
        });
        assertTrue(driver.findElement(By.id("base-config")).getText().contains("checkpointInterval 20"));
        assertTrue(driver.findElement(By.id("variants")).getText().contains("{\"freezeCut\":\"stage1\",\"freezeStep\":10}"));
        assertEquals(4, driver.findElements(By.cssSelector("#members tbody tr a[href^='/run.html?id=']")).size());
        assertTrue(driver.findElement(By.id("claims-link")).getAttribute("href").endsWith("/claims.html?id=" + experimentId));
        for (String curve : List.of("curve-test", "curve-loss", "curve-batch", "curve-corrupted")) {
            waitFor("a band per variant on " + curve, d -> Integer.parseInt(d.findElement(By.id(curve))
                    .getAttribute("data-bands")) == 2);
        }
        assertEquals(6, points("curve-test"), "three checkpoints per variant");
        assertEquals(8, points("curve-loss"), "four progress points per variant");
        assertEquals(Boolean.TRUE, js("const o = echarts.getInstanceByDom(document.getElementById('curve-test')).getOption();"
                + "const bands = o.series.filter(s => String(s.id).startsWith('band:'));"
                + "return bands.length === 2 && bands.every(s => s.data.length === 3 && s.data.some(d => d[2] > d[1]))"
                + " && o.series.filter(s => String(s.id).startsWith('mean:')).map(s => s.name).join() === 'baseline,frozen'"
                + " && document.querySelectorAll('#curve-test svg path').length > 4;"),
                "a filled band (mean - sd to mean + sd) and a mean line per variant");
        checkPage("experiment");

        // a member run links its experiment; the index lists it
        driver.get(base + "run.html?id=" + runIds.get(0));
        waitFor("the run's experiment", d -> d.findElement(By.id("experiment-link")).getText()
                .equals("experiment " + experimentId));
        driver.get(base + "index.html");
        waitFor("the experiment on the index", d -> d.findElement(By.cssSelector("tr[data-experiment='" + experimentId
                + "'] a")).getAttribute("href").endsWith("/experiment.html?id=" + experimentId));
        assertNoConsoleErrors("the run and index pages with an experiment");
    }

    /** The curves as PNG, SVG and CSV, made in the browser: each button hands a file to the browser. */
    private void exportsOfTheCurves() {
        js("window.__exports = []; document.addEventListener('splicelab:download', e => window.__exports.push("
                + "Object.assign(e.detail.blob, { fileName: e.detail.name })));");
        for (String kind : List.of("png", "svg", "csv")) {
            driver.findElement(By.cssSelector("#curves")).findElement(By.xpath("preceding-sibling::div[1]"))
                    .findElement(By.cssSelector("[data-export='" + kind + "']")).click();
        }
        try {
            waitFor("three exports", d -> ((Number) js("return window.__exports.length;")).intValue() == 3);
        } catch (RuntimeException e) {
            throw new AssertionError("exports: " + js("return window.__exports.map(b => b.fileName + ' ' + b.type);")
                    + "; console: " + driver.manage().logs().get(LogType.BROWSER).getAll(), e);
        }
        @SuppressWarnings("unchecked")
        List<Object> files = (List<Object>) ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "Promise.all(window.__exports.map(async b => [b.type, b.size,"
                        + " b.type === 'image/png' ? '' : (await b.text()).slice(0, 400), b.fileName])).then(done);");
        Map<String, List<Object>> byType = new LinkedHashMap<>();
        for (Object f : files) {
            @SuppressWarnings("unchecked")
            List<Object> file = (List<Object>) f;
            byType.put(file.get(0).toString(), file);
        }
        List<Object> png = byType.getOrDefault("image/png", List.of("none", 0, "", ""));
        List<Object> svg = byType.getOrDefault("image/svg+xml", List.of("none", 0, "", ""));
        List<Object> csv = byType.getOrDefault("text/csv", List.of("none", 0, "", ""));
        assertEquals("image/png", png.get(0));
        assertTrue(png.get(3).toString().endsWith("-curves.png"), "named after the page, run and chart: " + png);
        assertTrue(((Number) png.get(1)).longValue() > 1000, "a PNG of the chart: " + png);
        assertEquals("image/svg+xml", svg.get(0));
        assertTrue(svg.get(2).toString().startsWith("<svg"), "an SVG document: " + svg);
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "window.__exports.find(b => b.type === 'image/svg+xml').text().then(t => done("
                + "!new DOMParser().parseFromString(t, 'image/svg+xml').querySelector('parsererror')));"),
                "the SVG is well-formed XML");
        assertEquals("text/csv", csv.get(0));
        assertTrue(csv.get(2).toString().startsWith("step,loss,trainAccuracyBatch,learningRate,checkpointTrainLoss,"
                + "checkpointTrainAccuracy,testAccuracy\r\n0,,,,,,0.5\r\n10,2.2,0.15,0.1,,,\r\n"), "the curves' data: " + csv);
    }

    /** The step-0 checkpoint as the trainer announces it: loss and accuracy not measured yet, written as 0. */
    private static CheckpointCreated stepZero(String runId) {
        CheckpointCreated c = checkpoint(runId, 0, 0);
        return new CheckpointCreated(runId, 0, 0, c.config(), c.network(), c.parameters(), 0, 0);
    }

    private static void type(String id, String text) {
        driver.findElement(By.id(id)).clear();
        driver.findElement(By.id(id)).sendKeys(text);
    }

    private static void search(String text) {
        driver.findElement(By.id("search")).clear();
        if (!text.isEmpty()) {
            driver.findElement(By.id("search")).sendKeys(text);
        } else {
            js("document.getElementById('search').dispatchEvent(new Event('input'));");
        }
    }

    /**
     * The page at each size: no chart text overlapping another or cut at the chart's edge, no card wider than its box,
     * no sideways scrolling, no console error; screenshots of the viewport and the whole page.
     */
    private static void checkPage(String page) throws Exception {
        for (int[] size : SIZES) {
            viewport(size[0], size[1]);
            ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "window.dispatchEvent(new Event('resize'));"
                    + "requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));");
            String name = page + "-" + size[0] + "x" + size[1];
            screenshot(name);
            @SuppressWarnings("unchecked")
            List<Object> problems = (List<Object>) js(LAYOUT_PROBLEMS);
            problems.forEach(p -> LAYOUT.add(name + ": " + p));
        }
        viewport(SIZES[0][0], SIZES[0][1]);
        assertNoConsoleErrors(page);
    }

    /** Texts of charts (SVG) that overlap or leave their chart; cards wider than their box; a page wider than the window. */
    private static final String LAYOUT_PROBLEMS = """
            const problems = [];
            const shown = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
            document.querySelectorAll('.chart').forEach(el => {
              if (!shown(el) || el.closest('[hidden]')) return;
              const name = el.id || el.closest('[data-analysis]')?.dataset.analysis || 'chart';
              const box = el.getBoundingClientRect();
              const texts = [...el.querySelectorAll('svg text')].filter(t => t.textContent.trim() && shown(t)
                  && getComputedStyle(t).visibility !== 'hidden' && +(t.getAttribute('opacity') ?? 1) > 0)
                .map(t => ({ text: t.textContent.trim(), r: t.getBoundingClientRect(), el: t }));
              texts.forEach(a => {
                if (a.r.left < box.left - 1 || a.r.right > box.right + 1 || a.r.top < box.top - 1 || a.r.bottom > box.bottom + 1)
                  problems.push(name + ': "' + a.text + '" is cut at the chart\\'s edge (text ' + [a.r.left, a.r.right, a.r.top, a.r.bottom].map(Math.round)
                    + ', chart ' + [box.left, box.right, box.top, box.bottom].map(Math.round) + ', in ' + (a.el.closest('g')?.parentNode?.nodeName || '?') + ')');
              });
              for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
                const a = texts[i].r, b = texts[j].r;
                const w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                if (w > 1 && h > 1) problems.push(name + ': "' + texts[i].text + '" overlaps "' + texts[j].text + '"');
              }
            });
            document.querySelectorAll('section.card').forEach(c => {
              if (c.scrollWidth > c.clientWidth + 1) problems.push('card "' + (c.querySelector('h2')?.textContent || c.id)
                + '" is wider than its box: ' + c.scrollWidth + ' > ' + c.clientWidth);
            });
            if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push('the page scrolls sideways');
            return problems;
            """;

    private static void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    private static void assertNoConsoleErrors(String page) {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(e.getMessage());
            }
        }
        assertEquals(List.of(), errors, page + ": errors in the browser's console");
    }

    private static int seriesLength(String chartId, int series) {
        return seriesLengthAt("#" + chartId, series);
    }

    /** What the page says a chart draws (its data-points). */
    private static int points(String chartId) {
        return Integer.parseInt(driver.findElement(By.id(chartId)).getAttribute("data-points"));
    }

    private static int seriesCount(String chartId) {
        Object n = js("const c = echarts.getInstanceByDom(document.getElementById(arguments[0]));"
                + "return c ? c.getOption().series.length : -1;", chartId);
        return ((Number) n).intValue();
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
            screenshot("failure");
            throw e;
        }
    }

    /** The viewport ({@code name.png}) and the whole page ({@code name-full.png}) into {@link #SCREENSHOTS}. */
    private static void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png"));
            Files.write(SCREENSHOTS.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
            @SuppressWarnings("unchecked")
            Map<String, Object> size = (Map<String, Object>) driver.executeCdpCommand("Page.getLayoutMetrics", Map.of())
                    .get("cssContentSize");
            Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", ((Number) size.get("width")).doubleValue(),
                    "height", ((Number) size.get("height")).doubleValue(), "scale", 1);
            Map<String, Object> full = driver.executeCdpCommand("Page.captureScreenshot",
                    Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
            Files.write(SCREENSHOTS.resolve(name + "-full.png"), Base64.getDecoder().decode((String) full.get("data")));
            assertFalse(Files.size(SCREENSHOTS.resolve(name + ".png")) == 0);
        } catch (Exception e) {
            System.err.println("could not save screenshot " + name + ": " + e);
        }
    }
}
