package io.splicelab.model.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.splicelab.model.events.RunConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which images of the test split a run's hybrids are evaluated on (run configuration {@code evalSubset},
 * docs/science.md section 2): a seeded class-stratified sample of {@code evalSize} images ({@code stratified}, the
 * default, what every result before this setting was computed on), the first {@code evalSize} images of the split
 * ({@code first}) or the images at the indices the configuration lists ({@code indices}, its {@code evalIndices}).
 * The last two let a result be compared with one computed elsewhere on "the first N test images" or on an explicit
 * list. The set is closed: the splicer knows no other, so a name outside it is refused where it enters.
 *
 * <p>Every hybrid cell records the subset it was evaluated on as {@link #describe(int, long, List) a description},
 * e.g. {@code first size=500}; the run view shows the description of the run's test subset.
 */
public enum EvalSubset implements WireName {
    /** A seeded class-stratified sample of evalSize images (each class in proportion, at least one). */
    STRATIFIED("stratified"),
    /** The first evalSize images of the split, in the split's order (all of it when evalSize is larger). */
    FIRST("first"),
    /** The images at the configuration's evalIndices, in the order listed. */
    INDICES("indices");

    /** Hex digits of the SHA-256 of an index list that a description shows. */
    public static final int FINGERPRINT_HEX = 16;

    private final String wire;

    EvalSubset(String wire) {
        this.wire = wire;
    }

    /**
     * The subset of a wire name.
     *
     * @throws IllegalArgumentException naming the value and the known subsets
     */
    @JsonCreator
    public static EvalSubset parse(String name) {
        return WireName.parse(EvalSubset.class, "evaluation subset", name);
    }

    /**
     * The subset a configuration asks for, its defaults not yet filled: the named one, else {@code indices} when it
     * lists evalIndices, else {@code stratified}.
     *
     * @throws IllegalArgumentException for a name outside the set
     */
    public static EvalSubset of(String name, List<Integer> indices) {
        if (name != null) {
            return parse(name);
        }
        return indices != null && !indices.isEmpty() ? INDICES : STRATIFIED;
    }

    /**
     * How a cell names the images it was evaluated on, one line without commas (CSV- and log-friendly):
     * {@code stratified size=500 seed=1}, {@code first size=500} or {@code indices size=37 sha256=1f0c9a2b3d4e5f60}
     * (the first {@value #FINGERPRINT_HEX} hex digits of the SHA-256 of the indices written in decimal and joined by
     * commas, UTF-8; the list itself is in the run's configuration). The seed is the run's (each set draws with its
     * own seed derived from it); {@code size} is what was asked for, the cell's {@code samples} what there was.
     *
     * @param size evalSize (for {@code indices} the number of indices)
     * @param seed the run's seed (shown for {@code stratified} only)
     * @param indices the listed indices ({@code indices} only)
     */
    public String describe(int size, long seed, List<Integer> indices) {
        return switch (this) {
            case STRATIFIED -> wire + " size=" + size + " seed=" + seed;
            case FIRST -> wire + " size=" + size;
            case INDICES -> wire + " size=" + (indices == null ? 0 : indices.size()) + " sha256="
                    + fingerprint(indices == null ? List.of() : indices);
        };
    }

    /**
     * The description of the test subset of a configuration (its defaults filled first): what the cells of
     * {@code test} and of its corrupted copies record.
     *
     * @throws IllegalArgumentException for an unknown evaluation subset
     */
    public static String describeTest(RunConfig config) {
        RunConfig c = config.withDefaults();
        return c.evalSubsetValue().describe(c.evalSize(), c.seed(), c.evalIndices());
    }

    /** The first {@value #FINGERPRINT_HEX} hex digits of the SHA-256 of the indices joined by commas. */
    public static String fingerprint(List<Integer> indices) {
        String joined = indices.stream().map(String::valueOf).collect(Collectors.joining(","));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, FINGERPRINT_HEX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The name on the wire (configuration, REST). */
    @JsonValue
    @Override
    public String wire() {
        return wire;
    }
}
