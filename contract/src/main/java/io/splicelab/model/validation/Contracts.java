package io.splicelab.model.validation;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.MessageInterpolator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs the Bean Validation constraints of a contract object wherever it is read: the gateway before it accepts a
 * run, the trainer when it decodes one from Kafka, a plug-in. The contract declares the rules (annotations on its
 * records) and depends on the Jakarta Validation API only; the implementation (Hibernate Validator) is the
 * caller's, found on its class path, so a consumer without one gets {@link jakarta.validation.NoProviderFoundException}
 * on the first call.
 *
 * <p>The contract's messages are plain text written out in the annotations, so they are used as they are: no
 * Expression Language implementation is needed, and a message reads the same in every service and locale.
 */
public final class Contracts {
    private Contracts() {
    }

    /** Every violated constraint of the object; empty when it is valid. */
    public static <T> Set<ConstraintViolation<T>> violations(T object) {
        return Holder.VALIDATOR.validate(object);
    }

    /** The validator, built once on first use. */
    private static final class Holder {
        static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
                .messageInterpolator(new PlainMessages()).buildValidatorFactory().getValidator();
    }

    /** A message as written, with {@code {attribute}} replaced by the constraint's attribute (e.g. {@code {max}}). */
    static final class PlainMessages implements MessageInterpolator {
        @Override
        public String interpolate(String template, Context context) {
            String out = template;
            for (Map.Entry<String, Object> a : context.getConstraintDescriptor().getAttributes().entrySet()) {
                out = out.replace("{" + a.getKey() + "}", String.valueOf(a.getValue()));
            }
            return out;
        }

        @Override
        public String interpolate(String template, Context context, Locale locale) {
            return interpolate(template, context);
        }
    }
}
