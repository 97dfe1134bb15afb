package io.splicelab.gateway.admin;

import io.splicelab.edge.auth.RequiresApiToken;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operations on the gateway itself; every one needs the API token (they are POSTs under /api). */
@Path("/api/admin")
@Tag(name = "admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {
    private final ReadModelRebuild rebuild;

    public AdminResource(ReadModelRebuild rebuild) {
        this.rebuild = rebuild;
    }

    @RequiresApiToken
    @POST
    @Path("/read-model/rebuild")
    @Blocking
    @Operation(summary = "Delete the read model and rebuild it from the beginning of the topics", description = "Answers "
            + "when the replay has reached the end the topics had when it started; live updates wait meanwhile. "
            + "Groups and deletions (the gateway's own state) are kept. Needs the API token.")
    public ReadModelRebuild.Report rebuild() {
        return rebuild.rebuild();
    }
}
