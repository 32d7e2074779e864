package io.gitwar.storage.dfs;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.eclipse.jgit.internal.storage.file.PackIndex;
import org.eclipse.jgit.internal.storage.pack.CachedPack;
import org.eclipse.jgit.internal.storage.pack.ObjectReuseAsIs;
import org.eclipse.jgit.internal.storage.pack.ObjectToPack;
import org.eclipse.jgit.internal.storage.pack.PackOutputStream;
import org.eclipse.jgit.internal.storage.pack.PackWriter;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.BitmapIndex.BitmapBuilder;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.ProgressMonitor;

/**
 * A reader through which JGit's {@link PackWriter} counts the objects of a pack that is already
 * written, so that it can build that pack's bitmap: every object it takes is placed at the offset
 * the pack's index gives ({@link PackWriter#prepareBitmapIndex} reads offsets a written pack would
 * have set). The writer never writes here: the reuse methods that only writing calls refuse.
 */
final class PlacedObjects extends ObjectReader.Filter implements ObjectReuseAsIs {

    private final ObjectReader reader;
    private final PackIndex index;
    private long notInPack;

    PlacedObjects(ObjectReader reader, PackIndex index) {
        this.reader = reader;
        this.index = index;
    }

    /** How many of the objects the writer took the pack does not hold. */
    long notInPack() {
        return notInPack;
    }

    @Override
    protected ObjectReader delegate() {
        return reader;
    }

    @Override
    public void close() {
        // the caller closes its reader
    }

    @Override
    public ObjectToPack newObjectToPack(AnyObjectId id, int type) {
        ObjectToPack object = new ObjectToPack(id, type);
        long offset = index.findOffset(id);
        if (offset < 0) {
            notInPack++;
        } else {
            object.setOffset(offset);
        }
        return object;
    }

    @Override
    public Collection<CachedPack> getCachedPacksAndUpdate(BitmapBuilder needBitmap) {
        return List.of(); // a cached pack would leave the writer nothing to build a bitmap of
    }

    @Override
    public void selectObjectRepresentation(PackWriter packer, ProgressMonitor monitor, Iterable<ObjectToPack> objects) {
        throw new UnsupportedOperationException("nothing is written through PlacedObjects");
    }

    @Override
    public void writeObjects(PackOutputStream out, List<ObjectToPack> list) {
        throw new UnsupportedOperationException("nothing is written through PlacedObjects");
    }

    @Override
    public void copyObjectAsIs(PackOutputStream out, ObjectToPack otp, boolean validate) {
        throw new UnsupportedOperationException("nothing is written through PlacedObjects");
    }

    @Override
    public void copyPackAsIs(PackOutputStream out, CachedPack pack) throws IOException {
        throw new UnsupportedOperationException("nothing is written through PlacedObjects");
    }
}
