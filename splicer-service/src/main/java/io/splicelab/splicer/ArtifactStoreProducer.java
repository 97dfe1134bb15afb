package io.splicelab.splicer;

import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.LocalArtifactStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The artifact store shared with the other services: one directory, a volume under docker compose. */
@ApplicationScoped
public class ArtifactStoreProducer {
    @Produces
    @ApplicationScoped
    ArtifactStore artifactStore(@ConfigProperty(name = "splicelab.artifacts.dir") String dir) {
        return new LocalArtifactStore(Path.of(dir));
    }
}
