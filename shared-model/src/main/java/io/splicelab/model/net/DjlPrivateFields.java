package io.splicelab.model.net;

import java.lang.reflect.Field;

/**
 * The few private fields of DJL classes that splicelab must read or replace (a parameter's array, a BatchNorm's
 * momentum), because DJL offers no setter for them. Reached through one method so that a DJL upgrade that renames
 * one fails at class initialisation with a message naming the field.
 */
public final class DjlPrivateFields {
    private DjlPrivateFields() {
    }

    /** The field {@code name} of {@code owner}, made accessible. */
    public static Field of(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("DJL's " + owner.getSimpleName() + " has no field '" + name + "': " + e, e);
        }
    }
}
