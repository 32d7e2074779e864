package io.gitwar.protocol.upload;

import java.io.IOException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser;

/**
 * The upload-pack capabilities gitwar offers beyond JGit's.
 *
 * <ul>
 * <li>v0/v1: {@code deepen-since} and {@code deepen-not}, which JGit's engine implements but never
 * advertises (isomorphic-git refuses {@code since}/{@code exclude} without them, git
 * {@code --shallow-since}/{@code --shallow-exclude}); {@code deepen-relative}, which JGit does not
 * implement but gitwar translates ({@link RelativeDepth}; git refuses {@code fetch --deepen}
 * without it); and {@code object-format=sha1}.</li>
 * <li>v2: {@code object-format=sha1}, written before JGit's {@code agent=} line.</li>
 * </ul>
 */
public final class UploadCapabilities extends RefAdvertiser.PacketLineOutRefAdvertiser {

    static final String OBJECT_FORMAT = "object-format";
    static final String SHA1 = "sha1";

    private final boolean v2;

    public UploadCapabilities(PacketLineOut out, boolean v2) {
        super(out);
        this.v2 = v2;
    }

    /** Called by JGit for v0 only (v2's {@code shallow} feature covers all the deepen forms). */
    @Override
    public void init(Repository repository) {
        super.init(repository);
        advertiseCapability("deepen-since");
        advertiseCapability("deepen-not");
        advertiseCapability("deepen-relative");
        advertiseCapability(OBJECT_FORMAT, SHA1);
    }

    /** In v2 JGit writes its capability lines one by one through here. */
    @Override
    protected void writeOne(CharSequence line) throws IOException {
        String text = line.toString();
        if (v2 && text.startsWith("agent=")) {
            super.writeOne(OBJECT_FORMAT + "=" + SHA1 + (text.endsWith("\n") ? "\n" : ""));
        }
        super.writeOne(line);
    }
}
