package io.podhogs.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.Draws;
import io.podhogs.testing.Fuzz;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The kernel's sock_diag answers, as recv hands them over: any bytes, any length, well-formed
 * messages and their cut or changed versions. An answer is read, skipped as another question's, or
 * refused with the documented IllegalStateException (the caller then reads /proc); nothing else is
 * thrown.
 */
class SockDiagAnswerFuzzTest {
    private static final int SEQ = 7;

    record Reply(byte[] bytes, int length) {
        @Override
        public String toString() {
            return "length " + length + ": " + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 112));
        }
    }

    /** A message as the kernel writes it: an inet_diag_msg, or an error. */
    private static byte[] message(Draws d) {
        ByteBuffer b = ByteBuffer.allocate(16 + 72).order(ByteOrder.nativeOrder());
        int type = d.pickInt(20, 2, 3, d.below(1 << 16));
        b.putInt(type == 2 ? 36 : 88).putShort((short) type).putShort((short) 0)
                .putInt(d.bool() ? SEQ : d.int32()).putInt(0);
        if (type == 2) {
            b.putInt(-d.pickInt(2, 1, 13, 105, d.int32()));
        } else {
            b.put((byte) 2).put((byte) d.below(12)).put((byte) 0).put((byte) 0);
            for (int i = 0; i < 48; i++) {
                b.put((byte) d.below(256));
            }
            b.putInt(0).putInt(0).putInt(0).putInt(d.int32()).putInt(d.int32());
        }
        return b.array();
    }

    @Test
    void anyReplyIsReadSkippedOrRefusedNeverThrownOtherwise() {
        Fuzz.forAll("any reply is read, skipped or refused", 5000, d -> {
            byte[] bytes = d.bool() ? message(d) : d.bytes(100);
            if (d.oneIn(3) && bytes.length > 0) {
                bytes[d.below(bytes.length)] = (byte) d.below(256);
            }
            return new Reply(bytes, d.below(bytes.length + 1));
        }, r -> {
            try {
                Optional<SockDiag.Found> found = SockDiag.answer(r.bytes(), r.length(), SEQ);
                if (found != null && found.isPresent()) {
                    assertTrue(r.length() >= 16 + 72, "read past the reply's length");
                    assertTrue(found.get().state() >= 0 && found.get().state() <= 255, "state");
                    assertTrue(found.get().inode() >= 0, "inode");
                }
            } catch (IllegalStateException e) {
                assertTrue(e.getMessage().startsWith("sock_diag answered"), e.getMessage());
            }
        });
    }

    @Test
    void anErrorMessageTooShortForItsErrnoIsRefused() {
        // Found by the property: a 16-byte NLMSG_ERROR threw IndexOutOfBoundsException reading errno.
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        b.putInt(16).putShort((short) 2).putShort((short) 0).putInt(SEQ).putInt(0);
        assertThrows(IllegalStateException.class, () -> SockDiag.answer(b.array(), 16, SEQ));
        assertNull(SockDiag.answer(b.array(), 15, SEQ), "shorter than a header: not an answer");
        ByteBuffer enoent = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        enoent.putInt(20).putShort((short) 2).putShort((short) 0).putInt(SEQ).putInt(0).putInt(-2);
        assertEquals(Optional.empty(), SockDiag.answer(enoent.array(), 20, SEQ));
    }
}
