package io.splicelab.edge.auth;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method (or class) that needs the API token when one is configured: a service opts in per
 * endpoint (the splicer's {@code POST /api/cross-hybrids}, the stats service's {@code POST /api/analyses/*}),
 * and {@link ApiTokenFilter} checks exactly those.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresApiToken {
}
