package io.splicelab.gateway;

import static io.restassured.RestAssured.given;
import static io.splicelab.gateway.ItSupport.authed;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import io.quarkus.test.junit.QuarkusTest;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * GET /api/runs/{id}/checkpoints/{step}/onnx: what cannot be exported is a problem that says why. (A trained
 * checkpoint's export, imported back, gives the run's grid: local-stack's EndToEndIT, on the real services.)
 */
@QuarkusTest
class ExportIT {
    static final String PROBLEM = "application/problem+json";

    static LocalArtifactStore store() {
        return new LocalArtifactStore(Path.of(ConfigProvider.getConfig().getValue("splicelab.artifacts.dir",
                String.class)));
    }

    /** A trained checkpoint's manifest in the store, its parameters the given bytes (or a reference to nothing). */
    static String trained(byte[] parameters, long claimedSize) {
        String run = "export-" + UUID.randomUUID().toString().substring(0, 8);
        LocalArtifactStore store = store();
        ArtifactRef params = store.put(RunArtifacts.checkpointParams(run, 20), parameters,
                "application/vnd.splicelab.djl-params");
        ArtifactRef claimed = new ArtifactRef(params.uri(), claimedSize < 0 ? params.size() : claimedSize,
                params.sha256(), params.mediaType());
        RunConfig config = new RunConfig("resnet20", 0.25, "synthetic", 40, 32, null, null, 20, 5L, 600, 120)
                .withDefaults();
        CheckpointCreated manifest = new CheckpointCreated(run, 20, 1, config,
                new NetworkSpec("resnet20", 0.25, 3, 32, 32, 10), claimed, 2.0, 0.1);
        store.put(RunArtifacts.checkpointManifest(run, 20), EventCodec.toJson(manifest).getBytes(
                StandardCharsets.UTF_8), "application/json");
        return run;
    }

    @Test
    void aCheckpointThatIsNotThereIsA404() {
        given().get("/api/runs/no-such-run/checkpoints/20/onnx").then().statusCode(404).contentType(PROBLEM)
                .body("detail", containsString("no-such-run has no checkpoint at step 20"));
        String run = trained(new byte[] {1, 2, 3}, -1);
        given().get("/api/runs/" + run + "/checkpoints/40/onnx").then().statusCode(404).contentType(PROBLEM);
        given().get("/api/runs/" + run + "/checkpoints/-1/onnx").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void cutsThatAreNotTheNetworksAreA400NamingThem() {
        String run = trained(new byte[] {1, 2, 3}, -1);
        given().queryParam("cuts", "stem,conv1").get("/api/runs/" + run + "/checkpoints/20/onnx").then()
                .statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("cuts"))
                .body("detail", containsString("'conv1' is not a cut of resnet20"));
        given().queryParam("cuts", "stage1,s1b3").get("/api/runs/" + run + "/checkpoints/20/onnx").then()
                .statusCode(400).body("detail", containsString("the same cut"));
    }

    @Test
    void parametersThatAreNotTheCheckpointTheyClaimToBeAreA409() {
        String garbage = trained("not DJL parameters".getBytes(StandardCharsets.UTF_8), -1);
        given().get("/api/runs/" + garbage + "/checkpoints/20/onnx").then().statusCode(409).contentType(PROBLEM)
                .body("type", equalTo("https://splicelab.io/problems/not-exportable"))
                .body("detail", containsString("block version"));
        String tampered = trained(new byte[] {1, 2, 3}, 4);
        given().get("/api/runs/" + tampered + "/checkpoints/20/onnx").then().statusCode(409)
                .body("type", equalTo("https://splicelab.io/problems/not-exportable"));
        String huge = trained(new byte[] {1, 2, 3}, 64L * 1024 * 1024);
        given().get("/api/runs/" + huge + "/checkpoints/20/onnx").then().statusCode(409)
                .body("type", equalTo("https://splicelab.io/problems/export-too-large"))
                .body("detail", containsString("splicelab.exports.max-parameters-mb=32"));
    }

    @Test
    void anImportedCheckpointIsNotExportedAgain() throws IOException {
        String run = ImportIT.newRun();
        authed().contentType("application/zip").body(ImportIT.goodZip("", run, 60)).queryParam("dataset", "synthetic")
                .queryParam("evalSize", 40).post("/api/imports").then().statusCode(202);
        given().get("/api/runs/" + run + "/checkpoints/60/onnx").then().statusCode(409).contentType(PROBLEM)
                .body("detail", containsString("is an import"));
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", hasKey("/api/runs/{id}/checkpoints/{step}/onnx"));
    }
}
