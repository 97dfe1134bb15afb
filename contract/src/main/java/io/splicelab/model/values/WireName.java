package io.splicelab.model.values;

import io.splicelab.model.events.RunIds;
import java.util.Arrays;
import java.util.List;

/**
 * A value with one form on the wire (events, REST, configuration): the string that was there before the value was
 * typed, byte for byte. Also the one lookup of the closed sets (enums), so that every refusal reads the same way.
 */
public interface WireName {
    /** The form on the wire. */
    String wire();

    /**
     * The constant of {@code type} whose wire form is {@code name}.
     *
     * @param what how a message names the set, e.g. {@code BatchNorm mode}
     * @throws IllegalArgumentException naming the value (quoted, escaped) and the known names
     */
    static <E extends Enum<E> & WireName> E parse(Class<E> type, String what, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.wire().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " " + RunIds.quote(name) + "; known: "
                + wireNames(type));
    }

    /** The wire forms of an enum's constants, in declaration order. */
    static <E extends Enum<E> & WireName> List<String> wireNames(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireName::wire).toList();
    }
}
