package io.podhogs.node;

/**
 * How a front end names the settings this package checks, so that an error names the setting as
 * the user wrote it: an option of the command line ({@code --buffer-size}) or a property of the
 * agent ({@code podhogs.buffer-mib}).
 */
public record SettingNames(String bufferSize, String kubernetes, String podCidrs, String serviceCidrs) {
}
