package io.splicelab.splicer;

import io.splicelab.edge.auth.RequiresApiToken;
import io.splicelab.splicer.CrossRunHybrids.CrossRunCell;
import io.splicelab.splicer.CrossRunHybrids.CrossRunRequest;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Cross-run hybrids on request (the negative control of docs/science.md section 2): shallow part from a
 * checkpoint of one run, deep part from a checkpoint of another run of the same architecture, both
 * orders, every configured cut, mode carry. Answered synchronously; nothing is published. It costs compute, so
 * it takes the stack's API token when one is configured ({@link RequiresApiToken}).
 */
@Path("/api/cross-hybrids")
@RequiresApiToken
public class CrossRunResource {
    private final SplicingService splicing;

    public CrossRunResource(SplicingService splicing) {
        this.splicing = splicing;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public List<CrossRunCell> compute(CrossRunRequest request) {
        if (request == null || request.runA() == null || request.runB() == null || request.stepA() == null
                || request.stepB() == null) {
            throw new BadRequestException("runA, stepA, runB and stepB are required");
        }
        try {
            return splicing.crossRun(request);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }
}
