package io.splicelab.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.edge.auth.RequiresApiToken;
import io.splicelab.gateway.admin.AdminResource;
import io.splicelab.gateway.analyses.AnalysesProxyResource;
import io.splicelab.gateway.analyses.RunReportProxyResource;
import io.splicelab.gateway.groups.GroupResource;
import io.splicelab.gateway.hybrids.HybridResource;
import io.splicelab.gateway.imports.ImportResource;
import io.splicelab.gateway.runs.RunResource;
import io.splicelab.gateway.services.ServicesResource;
import io.splicelab.gateway.stream.EventStreamResource;
import io.splicelab.gateway.stream.RunEventStreamResource;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint that changes state (POST, PUT, PATCH, DELETE) needs the API token: the edge's filter is bound by
 * {@link RequiresApiToken}, so a new mutating endpoint without it would be open; this test names it.
 */
class MutatingEndpointsTest {
    private static final List<Class<?>> RESOURCES = List.of(AdminResource.class, AnalysesProxyResource.class,
            RunReportProxyResource.class, GroupResource.class, HybridResource.class, ImportResource.class,
            RunResource.class, ServicesResource.class, EventStreamResource.class, RunEventStreamResource.class,
            io.splicelab.gateway.exports.BundleResource.class, io.splicelab.gateway.exports.GroupBundleResource.class);

    @Test
    void everyMutatingEndpointRequiresTheToken() {
        List<String> open = new ArrayList<>();
        int mutating = 0;
        for (Class<?> resource : RESOURCES) {
            for (Method m : resource.getDeclaredMethods()) {
                boolean changes = m.isAnnotationPresent(POST.class) || m.isAnnotationPresent(PUT.class)
                        || m.isAnnotationPresent(PATCH.class) || m.isAnnotationPresent(DELETE.class);
                if (changes) {
                    mutating++;
                    if (!m.isAnnotationPresent(RequiresApiToken.class)
                            && !resource.isAnnotationPresent(RequiresApiToken.class)) {
                        open.add(resource.getSimpleName() + "." + m.getName());
                    }
                }
            }
        }
        assertTrue(mutating >= 7, "the gateway's mutating endpoints were found: " + mutating);
        assertEquals(List.of(), open, "mutating endpoints without @RequiresApiToken");
    }
}
