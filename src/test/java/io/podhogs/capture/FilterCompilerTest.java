package io.podhogs.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.BpfProgram;

/**
 * Filters as long as users write them, compiled by the real libpcap on threads with the JVM's small
 * stacks: they work, or fail with a message that fits on one line.
 */
class FilterCompilerTest {
    private static final int LINUX_SLL2 = 276;

    private static String terms(int n, String term) {
        return IntStream.range(0, n).mapToObj(i -> term + (1000 + 2 * i)).collect(Collectors.joining(" and "));
    }

    /** Runs {@code body} on a thread with a 512 KiB stack, as podhogs's threads have (-Xss512k). */
    private static <T> T onSmallStack(java.util.concurrent.Callable<T> body) throws Exception {
        Object[] result = new Object[2];
        Thread t = new Thread(null, () -> {
            try {
                result[0] = body.call();
            } catch (Exception e) {
                result[1] = e;
            }
        }, "small-stack", 512 << 10);
        t.start();
        t.join();
        if (result[1] != null) {
            throw (Exception) result[1];
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    @Test
    void aThousandTermsCompileWhereTheyUsedToOverflowTheStack() throws Exception {
        // 3000 terms crashed the JVM (SIGSEGV) at 512 KiB; a thousand is what a user may write.
        int instructions = onSmallStack(() -> {
            BpfProgram p = FilterCompiler.compile(terms(1000, "not ifindex "), LINUX_SLL2, 256);
            try {
                return FilterCompiler.instructions(p);
            } finally {
                p.free();
            }
        });
        assertTrue(instructions > 1000 && instructions <= FilterCompiler.KERNEL_MAX_INSTRUCTIONS, "" + instructions);
    }

    @Test
    void aProgramLongerThanTheKernelRunsIsRefusedWithItsLength() throws Exception {
        FilterCompiler.TooLong e = assertThrows(FilterCompiler.TooLong.class,
                () -> onSmallStack(() -> FilterCompiler.compile(terms(3000, "not ifindex "), LINUX_SLL2, 256)));
        assertTrue(e.instructions > FilterCompiler.KERNEL_MAX_INSTRUCTIONS, e.getMessage());
        assertEquals("it compiles to " + e.instructions + " BPF instructions, more than the 4096 the kernel runs",
                e.getMessage());
    }

    @Test
    void aSyntaxErrorIsLibpcapsOneLine() {
        CaptureException e = assertThrows(CaptureException.class,
                () -> FilterCompiler.compile("port 80 and and", LINUX_SLL2, 256));
        assertTrue(e.getMessage().contains("syntax error") && !e.getMessage().contains("\n"), e.getMessage());
    }
}
