package io.splicelab.gateway.hybrids;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HybridCsvTest {
    @Test
    void oneRowPerCellOneColumnPerMetricWithQuoting() {
        HybridGrid.View view = new HybridGrid.View("run-1", List.of(0, 50), List.of("stem"), List.of(
                new HybridGrid.Cell("stem", "test", "carry", "float32", 0, 50, 500, Map.of("accuracy", 0.5),
                        "first size=500"),
                new HybridGrid.Cell("stem", "corrupt:a,b:1", "carry", null, 50, 0, 500, Map.of("kl", 0.25))));
        assertEquals("""
                runId,cut,evalSet,bnMode,precision,shallowStep,deepStep,samples,evalSubset,accuracy,kl
                run-1,stem,test,carry,float32,0,50,500,first size=500,0.5,
                run-1,stem,"corrupt:a,b:1",carry,,50,0,500,,,0.25
                """, HybridCsv.write(view));
    }

    @Test
    void quotesDoubleEmbeddedQuotes() {
        assertEquals("\"say \"\"hi\"\"\"", HybridCsv.quote("say \"hi\""));
        assertEquals("plain", HybridCsv.quote("plain"));
    }
}
