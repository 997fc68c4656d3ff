package io.pfnmap.arch.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The kernel function (or macro) a core method stands for, and its file: what the spec's
 * side-by-side page reads, by reflection, to put each model method beside the kernel's. A method
 * without it is the model's own (a lemma, a helper of the proof, a conversion).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Kernel {
    /** The kernel's name, as the kernel writes it ({@code unmapped_area}). */
    String fn();

    /** Its file in the kernel tree ({@code mm/vma.c}), or in the userspace project it comes from; "" if none is named. */
    String file() default "";
}
