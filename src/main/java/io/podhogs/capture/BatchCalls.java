package io.podhogs.capture;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The few libpcap and libc functions {@link FrameBatch} and {@link CaptureLoop} call, bound by JNA's direct mapping: a
 * call with only primitive arguments costs a JNI transition (about 0.1 us here) and allocates
 * nothing, where an interface-mapped call builds an argument array and boxes. Pointers are passed
 * as {@code long} (64-bit only, as podhogs is).
 *
 * <p>Bound on first use of each holder class; a missing library or symbol surfaces as an
 * {@link UnsatisfiedLinkError} (or {@link NoClassDefFoundError} after the first), which the opener
 * turns into one line.
 */
final class BatchCalls {
    /** pcap4j's own property for libpcap's name: podhogs binds the library pcap4j loaded. */
    private static final String PCAP_NAME = System.getProperty("org.pcap4j.core.pcapLibName", "pcap");

    private BatchCalls() {
    }

    /** libpcap. */
    static final class Pcap {
        /** The address of {@code pcap_dump}, handed to {@code pcap_dispatch} as its per-frame callback. */
        static final long PCAP_DUMP;

        static {
            NativeLibrary library = NativeLibrary.getInstance(PCAP_NAME);
            Native.register(Pcap.class, library);
            PCAP_DUMP = com.sun.jna.Pointer.nativeValue(library.getFunction("pcap_dump"));
        }

        private Pcap() {
        }

        static native int pcap_dispatch(long pcap, int count, long callback, long user);

        static native long pcap_dump_fopen(long pcap, long file);

        static native int pcap_dump_flush(long dumper);

        static native long pcap_dump_ftell(long dumper);

        static native void pcap_dump_close(long dumper);

        static native long pcap_file(long pcap);

        static native int pcap_stats(long pcap, long stats);

        static native String pcap_geterr(long pcap);
    }

    /** The C library. */
    static final class Libc {
        static {
            Native.register(Libc.class, NativeLibrary.getInstance("c"));
        }

        private Libc() {
        }

        static native long fmemopen(long buffer, long size, String mode);

        static native int fseek(long file, long offset, int whence);

        static native int fclose(long file);

        /** glibc's and musl's: with FSETLOCKING_BYCALLER, stdio stops locking the stream on each write. */
        static native int __fsetlocking(long file, int type);
    }
}
