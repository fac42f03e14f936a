package io.podhogs.capture;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.lang.reflect.Method;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Compiles BPF filters where libpcap's compiler cannot take the JVM down, and refuses what the
 * kernel would not run.
 *
 * <ul>
 *   <li>libpcap's parser and optimizer recurse about once per term: a filter of a thousand terms
 *       or so overflows the 512 KiB stacks podhogs's threads run with (-Xss512k) and the JVM dies
 *       of SIGSEGV. Each compile runs on a thread of its own with a {@value #STACK_MIB} MiB stack
 *       (address space only: the pages a compile does not touch are never allocated).</li>
 *   <li>Its optimizer grows faster than the filter: a thousand {@code port} terms took minutes.
 *       The caller waits {@value #DEADLINE_SECONDS} s at most, then gets a one-line error; the
 *       compile, on a handle of its own (pcap_open_dead), ends by itself and frees what it made.</li>
 *   <li>The kernel runs at most {@value #KERNEL_MAX_INSTRUCTIONS} BPF instructions per socket
 *       filter (BPF_MAXINSNS). Given more, libpcap prints a warning of its own on stderr and
 *       filters in user space, so that every frame of the node is copied to podhogs: a program
 *       that long is refused here instead.</li>
 * </ul>
 */
@RegisterForReflection(targets = BpfProgram.class, methods = true, fields = false)
final class FilterCompiler {
    static final int KERNEL_MAX_INSTRUCTIONS = 4096;
    static final int STACK_MIB = 64;
    static final long DEADLINE_SECONDS = 10;

    /** The program is longer than the kernel takes. */
    static final class TooLong extends CaptureException {
        final int instructions;

        TooLong(int instructions) {
            super("it compiles to " + instructions + " BPF instructions, more than the " + KERNEL_MAX_INSTRUCTIONS
                    + " the kernel runs");
            this.instructions = instructions;
        }
    }

    /** libpcap took longer than the deadline. */
    static final class TooSlow extends CaptureException {
        TooSlow() {
            super("it takes libpcap longer than " + DEADLINE_SECONDS + " s to compile");
        }
    }

    private FilterCompiler() {
    }

    /**
     * The compiled program, for a handle of this link type and snap length; the caller sets it and
     * frees it. The message of what is thrown says what is wrong with the expression, no more.
     */
    static BpfProgram compile(String expression, int dlt, int snapLength) throws CaptureException {
        Compilation c = new Compilation(expression, dlt, snapLength);
        Thread thread = new Thread(null, c::run, "podhogs-filter-compiler", (long) STACK_MIB << 20);
        thread.setDaemon(true);
        thread.start();
        try {
            if (!c.done.await(DEADLINE_SECONDS, TimeUnit.SECONDS) && c.abandon()) {
                throw new TooSlow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.abandon();
            throw new CaptureException("interrupted while compiling it");
        }
        if (c.failure != null) {
            throw c.failure;
        }
        return c.program;
    }

    /** The number of instructions in a compiled program; pcap4j keeps the program's struct to itself. */
    static int instructions(BpfProgram program) {
        try {
            Method getProgram = BpfProgram.class.getDeclaredMethod("getProgram");
            getProgram.setAccessible(true);
            com.sun.jna.Structure struct = (com.sun.jna.Structure) getProgram.invoke(program);
            struct.read();
            return (int) struct.readField("bf_len");
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not knowing is not a reason to refuse a filter: the kernel still has the last word.
            return -1;
        }
    }

    /** One compile, handed from its thread to the caller, or cleaned up by its thread if the caller left. */
    private static final class Compilation {
        final String expression;
        final int dlt;
        final int snapLength;
        final CountDownLatch done = new CountDownLatch(1);
        BpfProgram program;
        CaptureException failure;
        private boolean abandoned;

        Compilation(String expression, int dlt, int snapLength) {
            this.expression = expression;
            this.dlt = dlt;
            this.snapLength = snapLength;
        }

        void run() {
            BpfProgram compiled = null;
            CaptureException failed = null;
            PcapHandle dead = null;
            try {
                dead = Pcaps.openDead(DataLinkType.getInstance(dlt), snapLength);
                compiled = dead.compileFilter(expression, BpfProgram.BpfCompileMode.OPTIMIZE,
                        PcapHandle.PCAP_NETMASK_UNKNOWN);
                int length = instructions(compiled);
                if (length > KERNEL_MAX_INSTRUCTIONS) {
                    compiled.free();
                    compiled = null;
                    failed = new TooLong(length);
                }
            } catch (PcapNativeException e) {
                failed = new CaptureException(String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim(), e);
            } catch (Exception | UnsatisfiedLinkError | NoClassDefFoundError e) {
                failed = e instanceof UnsatisfiedLinkError || e instanceof NoClassDefFoundError
                        ? PcapOpener.noLibpcap(e) : new CaptureException(String.valueOf(e), e);
            } finally {
                if (dead != null) {
                    dead.close();
                }
            }
            synchronized (this) {
                if (abandoned) {
                    if (compiled != null) {
                        compiled.free();
                    }
                    return;
                }
                program = compiled;
                failure = failed;
                done.countDown();
            }
        }

        /** The caller gives up; false if the result came meanwhile (then it is the caller's). */
        synchronized boolean abandon() {
            if (done.getCount() == 0) {
                return false;
            }
            abandoned = true;
            return true;
        }
    }
}
