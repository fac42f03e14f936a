package io.podhogs.export;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The top view's '/' prompt: a regular expression typed on the last line. Enter applies it (an
 * empty one shows every row again), Esc leaves the filter as it was; a bad expression stays on the
 * line with what is wrong, to be mended.
 */
final class SearchPrompt {
    /** What a key did. */
    enum Outcome { TYPING, APPLIED, CANCELLED }

    private static final int MAX_LENGTH = 200;

    private final StringBuilder text;
    private String error = "";
    private Pattern pattern;

    /** @param current the filter shown now, to be edited; null for none */
    SearchPrompt(Pattern current) {
        this.text = new StringBuilder(current == null ? "" : current.pattern());
    }

    Outcome key(int key) {
        switch (key) {
            case 27 -> {
                return Outcome.CANCELLED;
            }
            case '\r', '\n' -> {
                if (text.isEmpty()) {
                    pattern = null;
                    return Outcome.APPLIED;
                }
                try {
                    pattern = Pattern.compile(text.toString());
                    return Outcome.APPLIED;
                } catch (PatternSyntaxException e) {
                    error = e.getDescription();
                    return Outcome.TYPING;
                }
            }
            case 127, 8 -> {
                if (!text.isEmpty()) {
                    text.setLength(text.length() - 1);
                }
            }
            case 21 -> text.setLength(0); // Ctrl-U, as in a shell
            default -> {
                if (key >= ' ' && !Character.isISOControl(key) && text.length() < MAX_LENGTH) {
                    text.appendCodePoint(key);
                }
            }
        }
        error = "";
        return Outcome.TYPING;
    }

    /** The applied filter: null for none. */
    Pattern pattern() {
        return pattern;
    }

    /** The prompt's line. */
    String line() {
        return "filter (regex; Enter applies, empty shows all, Esc cancels): /" + text
                + (error.isEmpty() ? "" : "   [" + error + "]");
    }
}
