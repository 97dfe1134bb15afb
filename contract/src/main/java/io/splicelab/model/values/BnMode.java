package io.splicelab.model.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.splicelab.model.events.RunIds;
import java.util.Arrays;
import java.util.List;

/**
 * What a hybrid does with the BatchNorm running statistics of its deep part (docs/science.md section 2): keep the
 * deep donor's ({@code carry}) or re-estimate them on training inputs passed through the hybrid
 * ({@code recalibrate}). The set is closed: the splicer knows no other, so a name outside it is refused where it
 * enters (configuration, events), with the reason.
 */
public enum BnMode {
    /** The deep part keeps the running statistics it was trained with. */
    CARRY("carry"),
    /** The deep part's running statistics are re-estimated through the hybrid's shallow part. */
    RECALIBRATE("recalibrate");

    private final String wire;

    BnMode(String wire) {
        this.wire = wire;
    }

    /** The name on the wire (events, REST, configuration), as it always was. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /**
     * The mode of a wire name.
     *
     * @throws IllegalArgumentException naming the value and the known modes
     */
    @JsonCreator
    public static BnMode parse(String name) {
        for (BnMode m : values()) {
            if (m.wire.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown BatchNorm mode " + RunIds.quote(name) + "; known: " + wireNames());
    }

    /** Every name of a list, parsed (a configured list of modes). */
    public static List<BnMode> parseAll(List<String> names) {
        return names.stream().map(BnMode::parse).toList();
    }

    /** The wire names, in declaration order. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(BnMode::wire).toList();
    }

    @Override
    public String toString() {
        return wire;
    }
}
