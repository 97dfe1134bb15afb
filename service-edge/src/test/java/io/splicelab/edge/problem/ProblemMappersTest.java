package io.splicelab.edge.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.splicelab.edge.health.FatalErrors;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
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

    /** A resource as Quarkus validates it: a constrained query parameter and a {@code @Valid} body. */
    static class Resource {
        public void list(@Min(value = 1, message = "must be at least 1") int size) {
        }

        public void post(@Valid Body body) {
        }
    }

    record Body(@NotNull(message = "is required") String name,
            List<@Min(value = 0, message = "must be 0 or more") Integer> values) {
    }

    static ConstraintViolationException violations(String method, Class<?> type, Object arg) throws Exception {
        try (ValidatorFactory factory = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory()) {
            Set<ConstraintViolation<Resource>> v = factory.getValidator().forExecutables().validateParameters(
                    new Resource(), Resource.class.getMethod(method, type), new Object[] {arg});
            return new ConstraintViolationException(v);
        }
    }

    @Test
    void aConstraintViolationIsA400NamingTheFieldAsTheRequestHasIt() throws Exception {
        ProblemMappers mappers = new ProblemMappers(new FatalErrors());
        Response param = mappers.constraintViolation(violations("list", int.class, 0));
        assertEquals(400, param.getStatus());
        assertEquals(Problem.MEDIA_TYPE, param.getMediaType().toString());
        Problem p = (Problem) param.getEntity();
        assertEquals(Problem.TYPE_BASE + "invalid-parameter", p.type());
        assertEquals(List.of(new Problem.FieldProblem("size", "must be at least 1")), p.errors());
        assertEquals("size: must be at least 1", p.detail());

        Problem body = (Problem) mappers.constraintViolation(violations("post", Body.class,
                new Body(null, List.of(1, -1)))).getEntity();
        assertEquals(Problem.TYPE_BASE + "invalid-body", body.type());
        assertEquals(List.of(new Problem.FieldProblem("name", "is required"),
                new Problem.FieldProblem("values[1]", "must be 0 or more")), body.errors());
    }
}
