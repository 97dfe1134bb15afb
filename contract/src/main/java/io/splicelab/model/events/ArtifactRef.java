package io.splicelab.model.events;

/**
 * A claim check: large artifacts live in the artifact store and events carry only where they are,
 * how large they are and their sha256, so a reader can verify what it reads.
 */
public record ArtifactRef(String uri, long size, String sha256, String mediaType) {
}
