package io.podhogs.identity;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Locale;

/**
 * Reads container and pod identity out of /proc/PID/cgroup, for cgroup v1, v2 and hybrid hosts,
 * and for the path shapes of each runtime and cgroup driver:
 *
 * <pre>
 * docker, cgroupfs          /docker/ID
 * docker, systemd           /system.slice/docker-ID.scope
 * kubelet, cgroupfs         /kubepods/burstable/podUID/ID        (Guaranteed: /kubepods/podUID/ID)
 * kubelet, systemd          /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podUID.slice/
 *                               cri-containerd-ID.scope | crio-ID.scope | docker-ID.scope
 * podman                    /machine.slice/libpod-ID.scope, /libpod_parent/libpod-ID
 * </pre>
 *
 * A process in a private cgroup namespace (the agent in a pod) sees other processes' paths
 * relative to its own root, as {@code /../../burstable/podUID/ID}: only the segments are read,
 * wherever they start, and pod UIDs are distinctive enough to need no {@code kubepods} above them. The innermost container wins (a kind node is a container holding pods). Anything
 * else, a systemd service or session included, is no container. Nothing here throws.
 */
public final class CgroupPaths {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SCOPE = Pattern.compile(
            "(docker|cri-containerd|crio|libpod)-([0-9a-f]{64})\\.scope");
    /** A pod UID, with dashes (cgroupfs) or systemd's underscores: 8-4-4-4-12 hex digits. */
    private static final String UID = "[0-9a-fA-F]{8}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{12}";
    private static final Pattern POD_DIR = Pattern.compile("pod(" + UID + ")");
    private static final Pattern POD_SLICE = Pattern.compile("kubepods(?:-(burstable|besteffort))?-pod(" + UID + ")"
            + "\\.slice");

    private CgroupPaths() {
    }

    /** The identity in a /proc/PID/cgroup file's lines: the most telling of its hierarchies. */
    public static CgroupIdentity parse(List<String> lines) {
        CgroupIdentity best = CgroupIdentity.NONE;
        for (String line : lines) {
            // hierarchy-ID:controller-list:path, where the path may itself hold colons
            int first = line.indexOf(':');
            int second = first < 0 ? -1 : line.indexOf(':', first + 1);
            if (second < 0) {
                continue;
            }
            CgroupIdentity identity = parsePath(line.substring(second + 1).trim());
            if (rank(identity) > rank(best)) {
                best = identity;
            }
        }
        return best;
    }

    private static int rank(CgroupIdentity identity) {
        return (identity.inContainer() ? 2 : 0) + (identity.inPod() ? 1 : 0);
    }

    /** The identity one cgroup path names. */
    public static CgroupIdentity parsePath(String path) {
        String runtime = "";
        String containerId = "";
        String podUid = "";
        QosClass qos = QosClass.NONE;
        String previous = "";
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                continue;
            }
            Matcher m;
            if (segment.equals("kubepods") || segment.equals("kubepods.slice")) {
                podUid = ""; // a pod nested in a container (a kind node) starts afresh
                qos = QosClass.NONE;
            } else if ((m = POD_SLICE.matcher(segment)).matches()) {
                podUid = uid(m.group(2));
                qos = m.group(1) == null ? QosClass.GUARANTEED
                        : m.group(1).equals("burstable") ? QosClass.BURSTABLE : QosClass.BEST_EFFORT;
            } else if ((m = POD_DIR.matcher(segment)).matches()) {
                // Seen from a private cgroup namespace the path may start below /kubepods: the QoS
                // level, if any, is the segment just above the pod's.
                podUid = uid(m.group(1));
                qos = previous.equals("burstable") ? QosClass.BURSTABLE
                        : previous.equals("besteffort") ? QosClass.BEST_EFFORT : QosClass.GUARANTEED;
            } else if ((m = SCOPE.matcher(segment)).matches()) {
                runtime = switch (m.group(1)) {
                    case "docker" -> "docker";
                    case "cri-containerd" -> "containerd";
                    case "crio" -> "cri-o";
                    default -> "podman";
                };
                containerId = m.group(2);
            } else if (ID.matcher(segment).matches()) {
                runtime = previous.equals("docker") ? "docker" : "";
                containerId = segment;
            } else if (segment.startsWith("libpod-") && ID.matcher(segment.substring(7)).matches()) {
                runtime = "podman"; // podman's cgroupfs driver: /libpod_parent/libpod-ID
                containerId = segment.substring(7);
            }
            previous = segment;
        }
        if (containerId.isEmpty() && podUid.isEmpty()) {
            return CgroupIdentity.NONE;
        }
        return new CgroupIdentity(runtime, containerId, podUid, qos);
    }

    private static String uid(String raw) {
        return raw.replace('_', '-').toLowerCase(Locale.ROOT);
    }
}
