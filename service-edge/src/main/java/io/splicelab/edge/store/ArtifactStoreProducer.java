package io.splicelab.edge.store;

import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.LocalArtifactStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The artifact store shared by the services: one directory ({@code splicelab.artifacts.dir}), a volume under
 * docker compose. A singleton, not application-scoped: no client proxy is generated for {@link ArtifactStore},
 * an interface of another module (a proxy generated into its package clashed across Quarkus class loaders in
 * tests).
 */
@ApplicationScoped
public class ArtifactStoreProducer {
    @Produces
    @Singleton
    ArtifactStore artifactStore(@ConfigProperty(name = "splicelab.artifacts.dir") String dir) {
        return new LocalArtifactStore(Path.of(dir));
    }
}
