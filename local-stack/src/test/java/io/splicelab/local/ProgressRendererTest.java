package io.splicelab.local;

import static io.splicelab.model.events.EventType.HYBRID_EVALUATED;
import static io.splicelab.model.events.EventType.RUN_PROGRESS;
import static io.splicelab.model.events.EventType.RUN_STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressRendererTest {
    private static final String RUN = "r1";

    /** A followed run that has started with {@code steps} steps. */
    static FollowState started(int steps) {
        FollowState s = new FollowState(RUN);
        s.apply(RUN_STARTED, Fixtures.started(RUN, Fixtures.STEPS, steps));
        return s;
    }

    static PrintStream utf8(ByteArrayOutputStream buf) {
        return new PrintStream(buf, true, StandardCharsets.UTF_8);
    }

    @Test
    void barFillsByFraction() {
        assertEquals("[          ]", ProgressRenderer.bar(0, 10));
        assertEquals("[=====>    ]", ProgressRenderer.bar(0.5, 10));
        assertEquals("[==========]", ProgressRenderer.bar(1, 10));
        assertEquals("[==========]", ProgressRenderer.bar(1.7, 10));
        assertEquals("[          ]", ProgressRenderer.bar(Double.NaN, 10));
    }

    @Test
    void lineShowsCellsFirstThenStepsCheckpointsLossAccuracySpeed() {
        FollowState s = new FollowState(RUN);
        assertEquals("cells 0/? | train waiting for the trainer | ckpt 0", ProgressRenderer.line(s));
        s.apply(RUN_STARTED, Fixtures.started(RUN, Fixtures.STEPS, 120));
        s.apply(RUN_PROGRESS, Fixtures.progress(RUN, 60, 120, 1.23456, 0.5));
        s.apply(io.splicelab.model.events.EventType.CHECKPOINT_CREATED, Fixtures.checkpoint(RUN, 0, 0));
        s.apply(HYBRID_EVALUATED, Fixtures.hybrid(RUN, "stem", 0, 0, 0.1));
        assertEquals("cells 1/27 | train [==========>         ]  50% 60/120 | ckpt 1/3 | loss 1.235 batch acc 0.500 321 img/s",
                ProgressRenderer.line(s));
        assertEquals("training  50%  step 60/120  loss 1.235  batch acc 0.500  321 img/s  checkpoints 1/3  hybrids 1/27 (3%)",
                ProgressRenderer.plainLine(s));
    }

    /** A run deep in its grid, with a service down: the widest line the follower draws. */
    static FollowState busy() {
        FollowState s = started(12000);
        s.apply(RUN_PROGRESS, Fixtures.progress(RUN, 11999, 12000, 1.23456, 0.98765));
        s.apply(io.splicelab.model.events.EventType.CHECKPOINT_CREATED, Fixtures.checkpoint(RUN, 0, 0));
        s.apply(HYBRID_EVALUATED, Fixtures.hybrid(RUN, "stem", 0, 0, 0.1));
        return s;
    }

    @Test
    void atEightyColumnsTheLineFitsAndStartsWithTheCellCounter() {
        FollowState s = busy();
        String whole = ProgressRenderer.line(s);
        assertTrue(whole.length() > 79, "the case needs shortening: " + whole);
        String line = ProgressRenderer.line(s, 80);
        assertTrue(line.length() <= 79, line.length() + ": " + line);
        assertTrue(line.startsWith("cells 1/27 | train "), line);
        assertTrue(line.contains(" 99% 11999/12000"), line);
        // what goes first is the speed, then half the bar; the loss and accuracy stay at 80 columns
        assertFalse(line.contains("img/s"), line);
        assertTrue(line.contains("loss 1.235 batch acc 0.988"), line);
        s.servicesNotUp(List.of("splicer"));
        String down = ProgressRenderer.line(s, 80);
        assertTrue(down.length() <= 79 && down.startsWith("cells 1/27 | down: splicer | train "), down);
        // narrower: parts go one after the other, the cell counter stays
        for (int width = 79; width >= 12; width--) {
            String l = ProgressRenderer.line(s, width);
            assertTrue(l.length() <= width - 1, width + ": " + l);
            assertTrue(l.startsWith("cells 1/27".substring(0, Math.min(10, width - 1))), width + ": " + l);
        }
        assertEquals("cells 1/27 | down: splicer | train  99% 11999/12000", ProgressRenderer.line(s, 52));
    }

    @Test
    void aDrawnLineAtEightyColumnsIsTheFittedOne() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressRenderer r = new ProgressRenderer(utf8(buf), true, 0, 80);
        FollowState s = busy();
        r.update(s);
        assertEquals("\r" + ProgressRenderer.line(s, 80), buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void plainOutputPrintsALinePerTenPercentAndNoCarriageReturns() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressRenderer r = new ProgressRenderer(utf8(buf), false, 0);
        FollowState s = started(200);
        for (int step = 0; step <= 200; step += 2) {
            s.apply(RUN_PROGRESS, Fixtures.progress(RUN, step, 200, 1.0, 0.5));
            r.update(s);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains("\r"));
        List<String> lines = out.lines().toList();
        assertEquals(11, lines.size(), out); // 0%, 10%, ..., 100%
        assertTrue(lines.get(3).startsWith("training  30%  step 60/200"), lines.get(3));

        // hybrid cells count on their own: 27 cells, a line for each new tenth
        Fixtures.allCells(RUN, Fixtures.STEPS, (a, b) -> true).forEach(c -> {
            s.apply(HYBRID_EVALUATED, c);
            r.update(s);
        });
        long more = buf.toString(StandardCharsets.UTF_8).lines().count() - 11;
        assertEquals(10, more);
        r.message("checkpoint 1 at step 0", s);
        assertTrue(buf.toString(StandardCharsets.UTF_8).endsWith("checkpoint 1 at step 0" + System.lineSeparator()));
    }

    @Test
    void terminalOutputRedrawsInPlaceAndPrintsMessagesAboveTheLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressRenderer r = new ProgressRenderer(utf8(buf), true, 0);
        FollowState s = started(120);
        s.apply(RUN_PROGRESS, Fixtures.progress(RUN, 10, 120, 1.0, 0.5));
        r.update(s);
        r.message("checkpoint 1 at step 0", s);
        s.apply(RUN_PROGRESS, Fixtures.progress(RUN, 20, 120, 1.0, 0.5));
        r.update(s);
        r.finish(s);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\rcells 0/27 | train ["), out);
        assertTrue(out.contains("\rcheckpoint 1 at step 0" + System.lineSeparator() + "\rcells 0/27 | train ["), out);
        assertTrue(out.contains("20/120"));
        assertTrue(out.endsWith(System.lineSeparator()));
        assertEquals(2, out.split(System.lineSeparator()).length, "one message line and the final progress line");
    }

    @Test
    void onANarrowTerminalTheLineIsCutSoItNeverWraps() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressRenderer r = new ProgressRenderer(utf8(buf), true, 0, 40);
        FollowState s = started(120);
        s.apply(RUN_PROGRESS, Fixtures.progress(RUN, 10, 120, 1.0, 0.5));
        r.update(s);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals("\r" + ProgressRenderer.line(s, 40), out);
        assertTrue(out.length() <= 40 && out.startsWith("\rcells 0/27 | train "), out);
    }
}
