package io.splicelab.model.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.splicelab.model.events.Architectures;
import io.splicelab.model.events.RunIds;

/**
 * Where a network is cut into a shallow and a deep part (docs/science.md section 1), by name. Which names exist
 * depends on the network, so this is a value with validating factories rather than an enum: {@link #of(String,
 * String)} checks a name against an architecture (the names are written once, in {@link Architectures}); an imported
 * network names its own cuts after its segments, so {@link #parse(String)} only refuses a missing or blank name.
 *
 * @param wire the name, as it is on the wire
 */
public record Cut(@JsonValue String wire) implements WireName {
    /** After the ResNets' stem convolution. */
    public static final Cut STEM = new Cut(Architectures.STEM);
    /** After the last block of a ResNet's first stage. */
    public static final Cut STAGE1 = new Cut(Architectures.STAGE1);
    /** After the last block of a ResNet's second stage. */
    public static final Cut STAGE2 = new Cut(Architectures.STAGE2);

    /** Refuses a missing or blank name. */
    public Cut {
        if (wire == null || wire.isBlank()) {
            throw new IllegalArgumentException("a cut name is required, got " + RunIds.quote(wire));
        }
    }

    /**
     * A cut of any network (an imported one names its own).
     *
     * @throws IllegalArgumentException when the name is missing or blank
     */
    @JsonCreator
    public static Cut parse(String name) {
        return new Cut(name);
    }

    /**
     * A cut of an architecture ({@code -b} suffix allowed, see {@link Architectures}).
     *
     * @throws IllegalArgumentException naming the value and the architecture's cuts (or the unknown architecture)
     */
    public static Cut of(String architecture, String name) {
        if (architecture == null || !Architectures.isKnown(architecture)) {
            throw new IllegalArgumentException("unknown architecture " + RunIds.quote(architecture) + "; known: "
                    + Architectures.NAMES.stream().sorted().toList());
        }
        if (!Architectures.hasCut(architecture, name)) {
            throw new IllegalArgumentException(RunIds.quote(name) + " is not a cut of " + architecture + "; its cuts: "
                    + Architectures.cuts(architecture));
        }
        return new Cut(name);
    }


    @Override
    public String toString() {
        return wire;
    }
}
