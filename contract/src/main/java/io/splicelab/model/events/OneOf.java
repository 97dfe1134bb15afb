package io.splicelab.model.events;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.splicelab.model.data.DatasetInfo;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Set;

/**
 * A name field of a run configuration must be one of its named choices; the violation lists them, so a user
 * sees what to write. Null is left to {@code @NotNull}.
 */
@Documented
@Target({FIELD, METHOD, PARAMETER})
@Retention(RUNTIME)
@Constraint(validatedBy = OneOf.Check.class)
public @interface OneOf {
    /** Which choices. */
    Choice value();

    String message() default "must be one of the known names";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The named choices of a run configuration. */
    enum Choice {
        ARCHITECTURE(Architectures.NAMES, ""),
        DATASET(DatasetInfo.KNOWN.keySet(), ""),
        OPTIMIZER(RunConfig.OPTIMIZERS, ""),
        SCHEDULE(RunConfig.SCHEDULES, ""),
        AUGMENTATION(RunConfig.AUGMENTATIONS, "auto or "),
        DEVICE(RunConfig.DEVICES, ""),
        EVAL_SUBSET(RunConfig.EVAL_SUBSETS, "");

        private final Set<String> names;
        private final String message;

        Choice(Set<String> names, String also) {
            this.names = names;
            this.message = "must be " + also + "one of " + names.stream().sorted().toList();
        }
    }

    /** The check: the value is one of the choices; the violation's message lists them. */
    final class Check implements ConstraintValidator<OneOf, String> {
        private Choice choice;

        @Override
        public void initialize(OneOf annotation) {
            this.choice = annotation.value();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || choice.names.contains(value)) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(choice.message).addConstraintViolation();
            return false;
        }
    }
}
