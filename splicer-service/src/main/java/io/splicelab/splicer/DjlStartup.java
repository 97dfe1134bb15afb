package io.splicelab.splicer;

import io.quarkus.runtime.StartupEvent;
import io.splicelab.model.djl.DjlOffline;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Switches DJL to offline mode before anything can touch it, whatever the launch path. */
@ApplicationScoped
public class DjlStartup {
    static {
        DjlOffline.configure();
    }

    void onStart(@Observes StartupEvent event) {
        DjlOffline.configure();
    }
}
