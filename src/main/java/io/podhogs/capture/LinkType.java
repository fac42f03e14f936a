package io.podhogs.capture;

/** The link-layer header types podhogs parses (pcap DLT values). */
public enum LinkType {
    ETHERNET(1),
    RAW(101),
    LINUX_SLL(113),
    LINUX_SLL2(276);

    private final int dlt;

    LinkType(int dlt) {
        this.dlt = dlt;
    }

    /** DLT_RAW has two numbers (12 on most systems, 14 on OpenBSD) besides LINKTYPE_RAW 101. */
    public static LinkType ofDlt(int dlt) {
        return switch (dlt) {
            case 1 -> ETHERNET;
            case 12, 14, 101 -> RAW;
            case 113 -> LINUX_SLL;
            case 276 -> LINUX_SLL2;
            default -> throw new IllegalArgumentException("unsupported link type " + dlt);
        };
    }
}
