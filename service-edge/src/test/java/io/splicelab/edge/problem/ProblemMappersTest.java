package io.splicelab.edge.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.splicelab.edge.health.FatalErrors;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class ProblemMappersTest {
    @Test
    void anyUnhandledFailureIsAProblem500ThatLeaksNothing() {
        FatalErrors fatal = new FatalErrors();
        ProblemMappers mappers = new ProblemMappers(fatal);
        Response ordinary = mappers.unexpected(new IllegalStateException("secret internals at x.y.Z"));
        assertEquals(500, ordinary.getStatus());
        assertEquals(Problem.MEDIA_TYPE, ordinary.getMediaType().toString());
        Problem p = (Problem) ordinary.getEntity();
        assertFalse(p.detail().contains("secret"));
        assertNull(fatal.first());

        Response oom = mappers.unexpected(new OutOfMemoryError("Java heap space"));
        assertEquals(500, oom.getStatus());
        assertEquals(Problem.MEDIA_TYPE, oom.getMediaType().toString());
        assertFalse(((Problem) oom.getEntity()).detail().contains("heap"));
        assertNotNull(fatal.first(), "the fatal error is remembered");
    }
}
