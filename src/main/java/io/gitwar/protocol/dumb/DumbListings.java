package io.gitwar.protocol.dumb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;

/**
 * The generated files of git's dumb protocol, byte for byte as {@code git update-server-info} writes
 * them. Pure functions of the refs and packs they are given.
 */
public final class DumbListings {

    private DumbListings() {
    }

    /**
     * {@code HEAD}: {@code ref: <target>\n} for a symbolic HEAD (also when the target is unborn), the
     * bare id for a detached one.
     */
    public static String head(Ref head) {
        if (head == null) {
            return "ref: refs/heads/main\n";
        }
        if (head.isSymbolic()) {
            return "ref: " + head.getTarget().getName() + "\n";
        }
        return head.getObjectId().name() + "\n";
    }

    /**
     * {@code info/refs}: {@code <id>\t<name>\n} per ref in byte order of the name, an annotated tag
     * followed by {@code <peeled id>\t<name>^{}\n}; never HEAD; unborn symbolic refs are skipped.
     */
    public static String infoRefs(Collection<Ref> refs) {
        List<Ref> sorted = new ArrayList<>(refs);
        sorted.sort(Comparator.comparing(Ref::getName, DumbListings::compareBytes));
        StringBuilder out = new StringBuilder(sorted.size() * 64);
        for (Ref ref : sorted) {
            ObjectId id = ref.getObjectId();
            if (Constants.HEAD.equals(ref.getName()) || id == null) {
                continue;
            }
            out.append(id.name()).append('\t').append(ref.getName()).append('\n');
            ObjectId peeled = ref.getPeeledObjectId();
            if (peeled != null) {
                out.append(peeled.name()).append('\t').append(ref.getName()).append("^{}\n");
            }
        }
        return out.toString();
    }

    /**
     * {@code objects/info/packs}: {@code P <name>.pack\n} per listed pack, then an empty line. The
     * same bytes stored twice are one pack to clients, listed once.
     *
     * @param publicNames the listed packs' names, {@code pack-<checksum>}, newest first
     */
    public static String packs(Collection<String> publicNames) {
        StringBuilder out = new StringBuilder();
        for (String name : new LinkedHashSet<>(publicNames)) {
            out.append("P ").append(name).append(".pack\n");
        }
        return out.append('\n').toString();
    }

    /** git sorts refs by the bytes of their UTF-8 names. */
    private static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
