package io.splicelab.model.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * What a hybrid does with the BatchNorm running statistics of its deep part (docs/science.md section 2): keep the
 * deep donor's ({@code carry}) or re-estimate them on training inputs passed through the hybrid
 * ({@code recalibrate}). The set is closed: the splicer knows no other, so a name outside it is refused where it
 * enters (configuration, events), with the reason.
 */
public enum BnMode implements WireName {
    /** The deep part keeps the running statistics it was trained with. */
    CARRY("carry"),
    /** The deep part's running statistics are re-estimated through the hybrid's shallow part. */
    RECALIBRATE("recalibrate");

    private final String wire;

    BnMode(String wire) {
        this.wire = wire;
    }

    /**
     * The mode of a wire name.
     *
     * @throws IllegalArgumentException naming the value and the known modes
     */
    @JsonCreator
    public static BnMode parse(String name) {
        return WireName.parse(BnMode.class, "BatchNorm mode", name);
    }

    /** Every name of a list, parsed (a configured list of modes). */
    public static List<BnMode> parseAll(List<String> names) {
        return names.stream().map(BnMode::parse).toList();
    }

    /** The name on the wire (events, REST, configuration), as it always was. */
    @JsonValue
    @Override
    public String wire() {
        return wire;
    }
}
