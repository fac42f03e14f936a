package io.podhogs.history;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * vnStat's resolutions, with vnStat's default retention: 5 minutes for 48 hours, hours for 4
 * days, days for 62 days, months for 25 months, years for ever. Periods start in the time zone
 * the file was made in (vnStat counts local days too), kept in the file for readers elsewhere.
 */
public enum Resolution {
    FIVE_MINUTES("5min", Duration.ofHours(48)),
    HOURS("hours", Duration.ofDays(4)),
    DAYS("days", Duration.ofDays(62)),
    MONTHS("months", Duration.ofDays(25 * 31)),
    YEARS("years", null);

    private final String label;
    private final Duration retention;

    Resolution(String label, Duration retention) {
        this.label = label;
        this.retention = retention;
    }

    /** Its name in the file, in JSON and on the command line ({@code --5min}, {@code --hours} ...). */
    public String label() {
        return label;
    }

    /** How long its rows are kept by default; null: for ever. */
    public Duration defaultRetention() {
        return retention;
    }

    public static Resolution parse(String text) {
        for (Resolution r : values()) {
            if (r.label.equals(text.toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        return null;
    }

    /** The start of the period {@code time} is in. */
    public Instant start(Instant time, ZoneId zone) {
        ZonedDateTime t = time.atZone(zone);
        return switch (this) {
            case FIVE_MINUTES -> {
                ZonedDateTime hour = t.truncatedTo(ChronoUnit.HOURS);
                yield hour.plusMinutes(t.getMinute() / 5 * 5L).toInstant();
            }
            case HOURS -> t.truncatedTo(ChronoUnit.HOURS).toInstant();
            case DAYS -> t.toLocalDate().atStartOfDay(zone).toInstant();
            case MONTHS -> LocalDate.of(t.getYear(), t.getMonth(), 1).atStartOfDay(zone).toInstant();
            case YEARS -> LocalDate.of(t.getYear(), 1, 1).atStartOfDay(zone).toInstant();
        };
    }

    /** The end of the period that starts at {@code start} (the next one's start). */
    public Instant end(Instant start, ZoneId zone) {
        ZonedDateTime s = start.atZone(zone);
        return switch (this) {
            case FIVE_MINUTES -> start.plus(Duration.ofMinutes(5));
            case HOURS -> start.plus(Duration.ofHours(1));
            case DAYS -> s.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
            case MONTHS -> s.toLocalDate().plusMonths(1).atStartOfDay(zone).toInstant();
            case YEARS -> s.toLocalDate().plusYears(1).atStartOfDay(zone).toInstant();
        };
    }
}
