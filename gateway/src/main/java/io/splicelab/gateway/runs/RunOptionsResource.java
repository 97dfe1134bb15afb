package io.splicelab.gateway.runs;

import io.splicelab.model.data.DatasetInfo;
import io.splicelab.model.events.Architectures;
import io.splicelab.model.events.RunConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Collection;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What a run configuration may choose (architectures, datasets, optimizers, schedules) and the defaults of a field
 * left out, from the contract itself: the dashboard's form offers exactly what {@code POST /api/runs} accepts.
 */
@Path("/api/run-options")
@Tag(name = "runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunOptionsResource {
    /**
     * The choices of a run configuration.
     *
     * @param architectures the network architectures
     * @param cuts every cut name of each architecture, shallow to deep (the first cut is nearest the input)
     * @param datasets the datasets
     * @param optimizers the optimizers
     * @param schedules the learning-rate schedules
     * @param defaults the configuration of a request that leaves every field out
     */
    public record RunOptions(List<String> architectures, java.util.Map<String, List<String>> cuts,
            List<String> datasets, List<String> optimizers, List<String> schedules, RunConfig defaults) {
    }

    @GET
    @Operation(summary = "The choices and defaults of a run configuration, for forms")
    public RunOptions options() {
        java.util.Map<String, List<String>> cuts = new java.util.TreeMap<>();
        Architectures.NAMES.forEach(a -> cuts.put(a, Architectures.cuts(a)));
        return new RunOptions(sorted(Architectures.NAMES), cuts, sorted(DatasetInfo.KNOWN.keySet()),
                sorted(RunConfig.OPTIMIZERS), sorted(RunConfig.SCHEDULES),
                new RunConfig(null, null, null, null, null, null, null, null, null, null, null).withDefaults());
    }

    private static List<String> sorted(Collection<String> names) {
        return names.stream().sorted().toList();
    }
}
