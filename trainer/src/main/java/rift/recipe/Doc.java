package rift.recipe;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one place a recipe key is documented: on the record component (or enum constant, or record
 * type) that defines it. The loader reads {@link #dflt()}, {@link #required()} and {@link #range()}
 * to fill defaults and check values; {@code docs/recipes.md} is generated from these annotations.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.TYPE})
public @interface Doc {
    /** What the key means, with units and the names TRL / verl use for the same thing. */
    String value();

    /**
     * The default, written as YAML (parsed and checked like user input). {@code "null"} makes the key
     * nullable; a nested section usually has {@code "{}"} (all of its own defaults). Empty: no
     * default, so the key must be {@link #required()}.
     */
    String dflt() default "";

    /** The key has no default: leaving it out is an error. */
    boolean required() default false;

    /**
     * Allowed numeric interval, e.g. {@code "[1, inf)"}, {@code "(0, 1]"}; checked when the value is
     * not null (for a list of numbers: every element). Empty: any value of the type.
     */
    String range() default "";

    /**
     * What TRL, verl or torchtune call this key (e.g. {@code "learning_rate"}); shown in the docs, and
     * a recipe that uses one of these names gets "did you mean" pointing here.
     */
    String[] aka() default {};
}
