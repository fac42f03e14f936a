package io.podhogs.cli;

import io.podhogs.capture.CaptureMode;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option values the commands share, parsed into their types with one line of error each. */
final class Converters {
    private Converters() {
    }

    /** Seconds as a decimal number ("1", "0.5"), at least a millisecond. */
    static final class Seconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            double seconds;
            try {
                seconds = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("not a number of seconds: '" + value + "'");
            }
            if (!(seconds >= 0.001) || seconds > 86_400) {
                throw new TypeConversionException("seconds must be between 0.001 and 86400, not " + value);
            }
            return Duration.ofNanos((long) (seconds * 1e9));
        }
    }

    static final class CaptureModes implements ITypeConverter<CaptureMode> {
        @Override
        public CaptureMode convert(String value) {
            try {
                return CaptureMode.parse(value, "--capture");
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
