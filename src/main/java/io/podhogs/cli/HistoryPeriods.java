package io.podhogs.cli;

import io.podhogs.history.Resolution;
import picocli.CommandLine.Option;

/**
 * The resolution a history question asks for, {@code --5min} to {@code --years}, one at most: an
 * exclusive picocli argument group shared by {@code podhogs history} and
 * {@code kubectl podhogs history}, so the two spell and default it alike. The retention named is
 * the default one ({@link Resolution#defaultRetention()}).
 */
public final class HistoryPeriods {
    @Option(names = "--5min", description = "5-minute periods (kept 48 hours by default).")
    boolean fiveMinutes;
    @Option(names = "--hours", description = "Hours (kept 4 days).")
    boolean hours;
    @Option(names = "--days", description = "Days (kept 62 days); the default.")
    boolean days;
    @Option(names = "--months", description = "Months (kept 25 months).")
    boolean months;
    @Option(names = "--years", description = "Years (kept for ever).")
    boolean years;

    public Resolution resolution() {
        return fiveMinutes ? Resolution.FIVE_MINUTES : hours ? Resolution.HOURS : months ? Resolution.MONTHS
                : years ? Resolution.YEARS : Resolution.DAYS;
    }
}
