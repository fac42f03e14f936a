package io.podhogs.export;

import io.podhogs.host.HostFiles;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/** UID to user name from the host's /etc/passwd, read once; unknown UIDs show as numbers. */
public final class UserNames {
    private final Map<Integer, String> names = new HashMap<>();
    private final Map<String, Integer> uids = new HashMap<>();

    public UserNames(HostFiles host) {
        for (String line : host.lines(host.etc().resolve("passwd"))) {
            String[] f = line.split(":");
            if (f.length > 2) {
                try {
                    int uid = Integer.parseInt(f[2]);
                    names.putIfAbsent(uid, f[0]);
                    uids.putIfAbsent(f[0], uid);
                } catch (NumberFormatException e) {
                    // a malformed line names nobody
                }
            }
        }
    }

    public String name(int uid) {
        return names.getOrDefault(uid, Integer.toString(uid));
    }

    /** A user's UID: a number is one, a name is looked up; empty for a name /etc/passwd does not know. */
    public OptionalInt uid(String user) {
        if (!user.isEmpty() && user.chars().allMatch(Character::isDigit)) {
            try {
                return OptionalInt.of(Integer.parseInt(user));
            } catch (NumberFormatException e) {
                return OptionalInt.empty(); // more digits than a UID has
            }
        }
        Integer uid = uids.get(user);
        return uid == null ? OptionalInt.empty() : OptionalInt.of(uid);
    }
}
