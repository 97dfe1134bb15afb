package io.splicelab.cka.contract;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, found from the module directory the tests run in. */
final class Repo {
    private Repo() {
    }

    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker-compose.yml")) || Files.isDirectory(p.resolve("docs/events"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root (with docker-compose.yml and docs/events) not found from "
                + Path.of("").toAbsolutePath());
    }
}
