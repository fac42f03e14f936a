package io.podhogs.cli;

import io.podhogs.export.DisplayUnits;
import picocli.CommandLine.Option;

/** The top view's units (a picocli mixin): iftop's bits, IEC's or SI's sizes beside nethogs's. */
final class UnitOptions {
    @Option(names = "--units", paramLabel = "SCALE", description = "How the top view counts and names sizes: nethogs"
            + " (KB = 1024 bytes, the default), iec (KiB) or si (kB = 1000 bytes); 'u' there changes it. The trace keeps"
            + " nethogs's units, JSON has bytes.")
    String scale;

    @Option(names = "--bits", description = "Bits instead of bytes in the top view, as iftop shows them (Kbit/s,"
            + " kbit/s with --units si); 'B' there toggles it.")
    boolean bits;

    /** The units asked for; an IllegalArgumentException says what is wrong. */
    DisplayUnits units() {
        return new DisplayUnits(scale == null ? DisplayUnits.Scale.NETHOGS : DisplayUnits.Scale.parse(scale), bits);
    }

    boolean given() {
        return scale != null || bits;
    }
}
