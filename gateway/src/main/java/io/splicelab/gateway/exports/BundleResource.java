package io.splicelab.gateway.exports;

import io.splicelab.edge.problem.Problem;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A run's bundle: one download with everything the gateway knows about it, for archiving a run next to a paper or
 * reading it offline. A thin HTTP adapter over {@link Bundles}; reading, so no API token.
 */
@Path("/api/runs/{id}/bundle")
@Tag(name = "runs")
public class BundleResource {
    static final String ZIP = "application/zip";
    /** What every bundle holds, for the OpenAPI descriptions. */
    static final String RUN_ENTRIES = "run.json (GET /api/runs/{id}), config.json (its configuration), "
            + "checkpoints.json/.csv, progress.json/.csv, summaries.json/.csv, stats.json/.csv, hybrids.json/.csv "
            + "(each as its endpoint answers, the CSV with Accept: text/csv)";
    static final String BUDGET = "Streamed. Over splicelab.exports.bundle.max-rows (hybrid cells, progress points, "
            + "checkpoints, summaries and analysis results together; default 200000): 413, nothing sent. The bytes "
            + "before compression are capped by splicelab.exports.bundle.max-mb (default 512): past it the entry is cut, "
            + "the rest left out and manifest.json says so (truncated, reason). manifest.json, the last entry: kind, "
            + "id, createdAt, entries [{name, bytes}], truncated, reason, maxBytes.";

    private final Bundles bundles;

    public BundleResource(Bundles bundles) {
        this.bundles = bundles;
    }

    @GET
    @Produces({ZIP, Problem.MEDIA_TYPE})
    @Operation(summary = "Everything about a run as one zip", description = "The zip holds " + RUN_ENTRIES
            + ", then manifest.json. " + BUDGET)
    @APIResponse(responseCode = "200", description = "The zip", content = @Content(mediaType = ZIP,
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "Unknown run", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The run is over the bundle's row budget", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response bundle(@PathParam("id") String id) {
        return zip(bundles, bundles.ofRun(id), id + "-bundle.zip");
    }

    /** The bundle as a streamed download. */
    static Response zip(Bundles bundles, BundleWriter.Bundle bundle, String fileName) {
        BundleWriter writer = bundles.writer();
        StreamingOutput body = out -> writer.write(bundle, out);
        return Response.ok(body, ZIP).header("Content-Disposition", "attachment; filename=\""
                + Bundles.fileName(fileName) + "\"").build();
    }
}
