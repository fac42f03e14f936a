package io.podhogs.attribution;

import io.podhogs.capture.ParsedPacket;

/**
 * Traffic no socket could be found for. nethogs's names ("unknown TCP", "unknown UDP") are kept so
 * existing parsers keep working; everything else is "unknown other" (ICMP, ARP, IPv6 neighbour
 * discovery, fragments whose first fragment was not seen ...).
 */
public record UnknownOwner(String name) implements Owner {
    public static final UnknownOwner TCP = new UnknownOwner("unknown TCP");
    public static final UnknownOwner UDP = new UnknownOwner("unknown UDP");
    public static final UnknownOwner OTHER = new UnknownOwner("unknown other");

    public static UnknownOwner of(int protocol) {
        return switch (protocol) {
            case ParsedPacket.TCP -> TCP;
            case ParsedPacket.UDP -> UDP;
            default -> OTHER;
        };
    }
}
