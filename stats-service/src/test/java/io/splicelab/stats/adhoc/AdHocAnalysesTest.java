package io.splicelab.stats.adhoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The catalogue runs every analysis on a small body and names what is wrong with a bad one. */
class AdHocAnalysesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AdHocAnalyses analyses = new AdHocAnalyses();

    private static RequestBody body(String json) throws Exception {
        return new RequestBody(JSON.readTree(json));
    }

    private static String matrix(Random rnd, int n, int d, double shift) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < d; j++) {
                sb.append(j == 0 ? "" : ",").append(rnd.nextGaussian() + (j == 0 ? shift : 0));
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    @Test
    void everyAnalysisRunsOnASmallBody() throws Exception {
        Random rnd = new Random(2);
        String two = "{\"x\": " + matrix(rnd, 30, 2, 0) + ", \"y\": " + matrix(rnd, 30, 2, 2) + "}";
        String samples = "{\"samples\": " + matrix(rnd, 20, 3, 0) + "}";
        String wide = "{\"samples\": " + matrix(rnd, 12, 40, 0) + ", \"updates\": " + matrix(rnd, 2, 40, 0) + "}";
        StringBuilder labels = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            labels.append(i == 0 ? "" : ",").append(i % 2);
        }
        labels.append(']');
        Map<String, String> bodies = Map.ofEntries(Map.entry("kde", samples), Map.entry("kde-bandwidth-cv", samples),
                Map.entry("total-variation", two), Map.entry("mmd", two),
                Map.entry("ks", "{\"x\": [1, 2, 3, 4], \"y\": [3.5, 5, 6, 7, 8]}"), Map.entry("pca", samples),
                Map.entry("class-overlap", "{\"samples\": " + matrix(rnd, 20, 3, 0) + ", \"labels\": " + labels + "}"),
                Map.entry("spectrum", wide.replaceAll(", \"updates\".*", "}")), Map.entry("sphericity", samples),
                Map.entry("isotropic-null", samples), Map.entry("subspace-alignment", wide),
                Map.entry("tail-index", samples), Map.entry("noise-anisotropy", wide), Map.entry("probe-distance", two));
        assertEquals(analyses.names(), bodies.keySet().stream().collect(java.util.stream.Collectors.toSet()).size()
                == analyses.names().size() ? analyses.names() : bodies.keySet());
        for (String name : analyses.names()) {
            Map<String, Object> out = analyses.run(name, body(bodies.get(name)));
            assertEquals(name, out.get("analysis"));
            JSON.writeValueAsString(out);
        }
        assertEquals(analyses.names().size(), analyses.list().size());
        assertTrue(AnalysesResource.NAMES.split(", ").length == analyses.names().size(), "documented names");
    }

    @Test
    void namesWhatIsWrong() {
        assertBad("mmd", "{\"x\": [[1,2],[3]], \"y\": [[1,2],[3,4]]}", "ragged array: row 1 has 1 values, row 0 has 2");
        assertBad("mmd", "{\"x\": [[1,2],[3,\"NaN\"]], \"y\": [[1,2],[3,4]]}", "x[1][1] is not a number");
        assertBad("mmd", "{\"x\": [[1,2],[3,1e400]], \"y\": [[1,2],[3,4]]}", "x[1][1] is not finite");
        assertBad("sphericity", "{\"samples\": [[1,2],[3,4]]}", "too few samples: 2");
        assertBad("mmd", "{\"x\": [[1,2],[3,4]]}", "y: is required");
        assertBad("mmd", "{\"x\": [[1,2],[3,4]], \"y\": [[1,2],[3,4]], \"parameters\": {\"perms\": 3}}",
                "unknown parameter");
        assertBad("mmd", "{\"x\": [[1,2],[3,4]], \"y\": [[1,2],[3,4]], \"parameters\": {\"permutations\": 1000000}}",
                "permutations");
        assertBad("kde", "{\"sample\": [1,2,3]}", "unknown field");
        assertBad("kde", "[1, 2]", "JSON object");
        StringBuilder big = new StringBuilder("{\"samples\": [");
        for (int i = 0; i < 1001; i++) {
            big.append(i == 0 ? "" : ",").append("[1,2,3,4]");
        }
        assertBad("noise-anisotropy", big.append("]}").toString(), "over the documented limit");
    }

    private void assertBad(String name, String json, String expected) {
        BadAnalysisRequestException e = assertThrows(BadAnalysisRequestException.class,
                () -> analyses.run(name, body(json)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void echoesParametersAndAnswersWithTheAnalysisOwnNumbers() throws Exception {
        Map<String, Object> out = analyses.run("mmd", body(
                "{\"x\": [[0,0],[1,0],[0,1],[1,1]], \"y\": [[3,3],[4,3],[3,4],[4,4]], \"parameters\": "
                        + "{\"permutations\": 99, \"seed\": 5}}"));
        assertEquals(99, out.get("permutations"));
        assertEquals(5L, out.get("seed"));
        JsonNode json = JSON.valueToTree(out);
        assertTrue(json.get("mmd2").asDouble() > 0);
        assertEquals(1.0 / 100 * (1 + json.get("pValue").asDouble() * 100 - 1), json.get("pValue").asDouble(), 1e-12);
    }
}
