package io.splicelab.model.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.splicelab.model.store.RunArtifacts;

/**
 * The inputs whose features a snapshot holds ({@code FeaturesSnapshotted.probeSet}): the splicer snapshots its first
 * evaluation set ({@link #of(EvalSet)}), and a run may also carry {@link #TRAIN_PROBE}, a seeded training subset. The
 * set is open (a plug-in may snapshot its own inputs), but a probe set names a directory of the run's artifacts
 * ({@link RunArtifacts#featureSnapshot}), so it must be a plain name; anything else is refused with the reason.
 *
 * @param wire the name, as it is on the wire
 */
public record ProbeSet(@JsonValue String wire) implements WireName {
    /** A seeded class-stratified probe set of training inputs. */
    public static final ProbeSet TRAIN_PROBE = new ProbeSet("train-probe");

    /** Validates the name (see {@link #parse(String)}). */
    public ProbeSet {
        RunArtifacts.requirePlainName(wire, "probe set");
    }

    /**
     * The probe set of a name.
     *
     * @throws IllegalArgumentException when it is not a plain name (letters, digits, '.', '_', '-'; no '..')
     */
    @JsonCreator
    public static ProbeSet parse(String name) {
        return new ProbeSet(name);
    }

    /** The probe set of the features of an evaluation set (same name). */
    public static ProbeSet of(EvalSet evalSet) {
        return new ProbeSet(evalSet.wire());
    }


    @Override
    public String toString() {
        return wire;
    }
}
