package io.podhogs.export;

import io.podhogs.host.HostFiles;
import java.util.HashMap;
import java.util.Map;

/** UID to user name from the host's /etc/passwd, read once; unknown UIDs show as numbers. */
public final class UserNames {
    private final Map<Integer, String> names = new HashMap<>();

    public UserNames(HostFiles host) {
        for (String line : host.lines(host.etc().resolve("passwd"))) {
            String[] f = line.split(":");
            if (f.length > 2) {
                try {
                    names.putIfAbsent(Integer.parseInt(f[2]), f[0]);
                } catch (NumberFormatException e) {
                    // a malformed line names nobody
                }
            }
        }
    }

    public String name(int uid) {
        return names.getOrDefault(uid, Integer.toString(uid));
    }
}
