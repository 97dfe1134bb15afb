package io.splicelab.gateway.hybrids;

import io.splicelab.edge.problem.ProblemException;
import io.splicelab.gateway.runs.RunQueries;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The hybrid grid of a run, for the heat maps of the dashboard and for scripts (JSON or CSV). */
@Path("/api/runs/{id}/hybrids")
@Tag(name = "hybrids")
public class HybridResource {
    private final RunQueries runs;

    public HybridResource(RunQueries runs) {
        this.runs = runs;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, HybridCsv.MEDIA_TYPE})
    @Operation(summary = "The run's hybrid cells, filtered", description = "Cells sorted by cut (in order of first "
            + "appearance), shallow step, deep step. An unknown cut or metric is a 400 once the run has cells. CSV (one "
            + "row per cell, one column per metric) with Accept: text/csv or ?format=csv.")
    public Response grid(@PathParam("id") String id,
            @Parameter(description = "only this cut") @QueryParam("cut") String cut,
            @Parameter(description = "keep only this metric in every cell") @QueryParam("metric") String metric,
            @Parameter(description = "only this evaluation set") @QueryParam("evalSet") String evalSet,
            @Parameter(description = "only this BatchNorm mode") @QueryParam("bnMode") String bnMode,
            @Parameter(description = "json or csv; overrides Accept") @QueryParam("format") String format,
            @Context HttpHeaders headers) {
        boolean csv = wantsCsv(format, headers);
        HybridGrid.View view = runs.hybrids(id, new HybridGrid.Query(cut, metric, evalSet, bnMode));
        if (csv) {
            return Response.ok(HybridCsv.write(view), HybridCsv.MEDIA_TYPE + ";charset=UTF-8")
                    .header("Content-Disposition", "inline; filename=\"" + id + "-hybrids.csv\"").build();
        }
        return Response.ok(view, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static boolean wantsCsv(String format, HttpHeaders headers) {
        if (format != null && !format.isBlank()) {
            if (format.equalsIgnoreCase("csv")) {
                return true;
            }
            if (format.equalsIgnoreCase("json")) {
                return false;
            }
            throw ProblemException.invalidParameter("format", "must be json or csv");
        }
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isWildcardType() || type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
            if (type.isCompatible(MediaType.valueOf(HybridCsv.MEDIA_TYPE))) {
                return true;
            }
        }
        return false;
    }
}
