package io.splicelab.gateway.exports;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One file of a bundle: its path in the zip and how to write it. The body is produced only when the entry is
 * written, so a bundle holds one view in memory at a time.
 */
public record BundleEntry(String name, Body body) {
    /** Writes the entry's bytes; the stream must not be closed. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The same entry under a folder ({@code runs/<id>/}). */
    public BundleEntry under(String folder) {
        return new BundleEntry(folder + name, body);
    }
}
