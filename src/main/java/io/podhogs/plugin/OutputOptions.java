package io.podhogs.plugin;

import picocli.CommandLine.Option;

/**
 * How an answer is printed, the options every kubectl podhogs view shares (a picocli mixin):
 * kubectl's {@code -o} and {@code --no-headers}, and the units of the table's numbers.
 */
final class OutputOptions {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "wide, json or yaml")
    String output;

    @Option(names = "--no-headers", description = "No title line and no TOTAL row")
    boolean noHeaders;

    @Option(names = "--units", paramLabel = "UNITS", defaultValue = "iec",
            description = "iec (default: KiB, MiB), si (kB, MB) or raw (plain integers)")
    String units;

    /** The -o format; a usage error for an unknown one. */
    Query.Output format() {
        return Query.Output.parse(output);
    }

    /** The --units, in bits or bytes; a usage error for unknown units. */
    Units units(boolean bits) {
        return Units.parse(units, bits);
    }
}
