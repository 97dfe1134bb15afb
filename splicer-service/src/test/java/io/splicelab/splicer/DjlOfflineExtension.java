package io.splicelab.splicer;

import io.splicelab.model.djl.DjlOffline;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Puts DJL offline ({@link DjlOffline#configure()}) before a test class touches it, so that no test reaches
 * for the network: {@code @ExtendWith(DjlOfflineExtension.class)} on every test class that builds networks.
 */
public final class DjlOfflineExtension implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        DjlOffline.configure();
    }
}
