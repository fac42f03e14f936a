package io.podhogs.export;

import java.io.IOException;
import org.jline.utils.NonBlockingReader;

/**
 * The top view's keys as it reads them from a raw terminal: characters as they are, and the escape
 * sequences of the keys it knows (Up, Down) as codes of their own, beyond any character.
 */
final class TopKeys {
    static final int ESC = 27;
    static final int UP = 0x11_0001;
    static final int DOWN = 0x11_0002;
    /** Any other key's escape sequence (Left, F1 ...): read whole and ignored. */
    static final int OTHER = 0x11_0000;

    private TopKeys() {
    }

    static boolean enter(int key) {
        return key == '\r' || key == '\n';
    }

    /**
     * What an Esc just read was: a lone Esc (the key), or the start of a key's escape sequence (an
     * arrow's ESC [ A), which follows at once and is read whole.
     */
    static int afterEscape(NonBlockingReader reader) throws IOException {
        int next = reader.read(15);
        if (next <= 0) {
            return ESC;
        }
        int last = next;
        while (last > 0 && !(last != '[' && last != 'O' && (Character.isLetter(last) || last == '~'))) {
            last = reader.read(15);
        }
        return switch (last) {
            case 'A' -> UP;
            case 'B' -> DOWN;
            default -> OTHER;
        };
    }
}
