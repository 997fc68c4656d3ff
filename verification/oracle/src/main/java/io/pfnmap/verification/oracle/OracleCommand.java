package io.pfnmap.verification.oracle;

import java.io.PrintStream;

/**
 * A command of {@code ./oracle} that lives in a module above this one (the conformance module's
 * {@code check-tree}): found with {@link java.util.ServiceLoader}, so the oracle does not depend
 * on the harnesses that depend on it.
 */
public interface OracleCommand {
    /** The command's name on the command line ({@code check-tree}). */
    String name();

    /** Runs the command on the arguments after its name; returns the exit status. */
    int run(String[] args, PrintStream out, PrintStream err);
}
