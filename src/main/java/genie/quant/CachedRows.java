package genie.quant;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import genie.util.Scopes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One cached tensor of a unit, one float32 row per calibration image: rows below {@code inMemory} in a native tensor,
 * the others in a spill file, read back with positional reads into the tensor that receives them (not memory-mapped,
 * so the page cache holding them is not this process's resident memory). Both give the same bytes, so the numbers do
 * not depend on where a row lives.
 */
final class CachedRows implements AutoCloseable {
    /** Rows per native read or write: keeps each direct buffer well under the 2 GiB a ByteBuffer can address. */
    private static final long CHUNK_BYTES = 1L << 28;

    private final Shape rowShape;
    private final long rowBytes;
    private final int rows;
    private final int inMemory;
    private final NDArray memory; // [inMemory, rowShape...], null when every row is spilled
    private final FileChannel spill; // rows inMemory.., null when none is spilled
    private final Device device;

    /** Room for {@code rows} rows of {@code rowShape}, the first {@code inMemory} in {@code into}. */
    CachedRows(String name, Shape rowShape, int rows, int inMemory, NDManager into, Path spillDir) {
        this.rowShape = rowShape;
        this.rowBytes = rowShape.size() * Float.BYTES;
        this.rows = rows;
        this.inMemory = inMemory;
        this.device = into.getDevice();
        // Kept from the caller's NDScope: the rows live until close(). Uninitialised: every row is written once.
        this.memory = inMemory > 0 ? Scopes.keep(into.create(prepend(inMemory, rowShape), DataType.FLOAT32)) : null;
        try {
            this.spill = inMemory < rows ? open(name, spillDir) : null;
        } catch (IOException e) {
            if (memory != null) {
                memory.close();
            }
            throw new UncheckedIOException("cannot create a cache spill file in " + spillDir + " (" + e.getMessage()
                    + "); give a writable folder with --spill-dir, or more --cache-memory", e);
        }
    }

    /** A file no other process can find: unlinked as soon as it is open (Linux), so it goes with the process. */
    private static FileChannel open(String name, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path f = Files.createTempFile(dir, "genie-cache-" + name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-", ".f32");
        try {
            return FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(f);
            throw e;
        }
    }

    Shape rowShape() {
        return rowShape;
    }

    /** Stores {@code slice} (rows {@code from..from+slice rows}). */
    void write(int from, NDArray slice) {
        int n = (int) slice.getShape().get(0);
        int toMemory = Math.max(0, Math.min(inMemory, from + n) - from);
        if (toMemory > 0) {
            memory.set(new NDIndex(from + ":" + (from + toMemory)), toMemory == n ? slice : slice.get("0:" + toMemory));
        }
        int chunk = chunkRows();
        for (int r = toMemory; r < n; r += chunk) {
            int end = Math.min(n, r + chunk);
            NDArray part = slice.get(r + ":" + end);
            NDArray host = device.isGpu() ? part.toDevice(Device.cpu(), true) : part;
            writeFully(host.toByteBuffer(true), (long) (from + r - inMemory) * rowBytes);
            if (host != part) {
                host.close();
            }
            part.close();
        }
    }

    /** Rows {@code idx}, in that order, as a new tensor (the caller's scope frees it). */
    NDArray gather(int[] idx, NDManager manager) {
        if (spill == null) {
            return memory.get(new NDIndex("{}", manager.create(idx).toType(DataType.INT64, false)));
        }
        if (memory == null) {
            return read(idx, manager);
        }
        // The rows in memory taken with one index, the spilled ones read, then both put back in the asked order.
        int[] order = new int[idx.length];
        int nm = 0;
        for (int i : idx) {
            nm += i < inMemory ? 1 : 0;
        }
        int[] fromMemory = new int[nm];
        int[] fromDisk = new int[idx.length - nm];
        int m = 0;
        int d = 0;
        for (int j = 0; j < idx.length; j++) {
            if (idx[j] < inMemory) {
                order[j] = m;
                fromMemory[m++] = idx[j];
            } else {
                order[j] = nm + d;
                fromDisk[d++] = idx[j];
            }
        }
        if (nm == 0) {
            return read(fromDisk, manager);
        }
        if (nm == idx.length) {
            return memory.get(new NDIndex("{}", manager.create(fromMemory).toType(DataType.INT64, false)));
        }
        NDArray both = NDArrays.concat(new NDList(
                memory.get(new NDIndex("{}", manager.create(fromMemory).toType(DataType.INT64, false))),
                read(fromDisk, manager)));
        return both.get(new NDIndex("{}", manager.create(order).toType(DataType.INT64, false)));
    }

    /** Rows {@code from..to} as a new tensor. */
    NDArray range(int from, int to, NDManager manager) {
        if (spill == null) {
            return memory.get(from + ":" + to);
        }
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return gather(idx, manager);
    }

    /** Spilled rows (all at or above {@code inMemory}), in order, read into new tensors of at most a chunk each. */
    private NDArray read(int[] spilled, NDManager manager) {
        int chunk = chunkRows();
        NDList parts = new NDList();
        for (int c = 0; c < spilled.length; c += chunk) {
            int end = Math.min(spilled.length, c + chunk);
            Shape shape = prepend(end - c, rowShape);
            // On the CPU the rows land straight in the new tensor's memory; a GPU tensor is filled from a host copy.
            NDArray t = device.isGpu() ? null : manager.create(shape, DataType.FLOAT32);
            ByteBuffer buf = t != null ? t.toByteBuffer(true)
                    : ByteBuffer.allocateDirect((int) (shape.size() * Float.BYTES)).order(ByteOrder.nativeOrder());
            for (int j = c; j < end; j++) {
                readFully(buf.slice((int) ((j - c) * rowBytes), (int) rowBytes),
                        (long) (spilled[j] - inMemory) * rowBytes);
            }
            parts.add(t != null ? t : manager.create(buf, shape, DataType.FLOAT32));
        }
        return parts.size() == 1 ? parts.head() : NDArrays.concat(parts);
    }

    private int chunkRows() {
        return (int) Math.max(1, CHUNK_BYTES / rowBytes);
    }

    private void writeFully(ByteBuffer b, long position) {
        try {
            long p = position;
            while (b.hasRemaining()) {
                p += spill.write(b, p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the reconstruction cache's spill file failed (" + e.getMessage()
                    + "); free disk space, give another --spill-dir, or more --cache-memory", e);
        }
    }

    private void readFully(ByteBuffer b, long position) {
        try {
            long p = position;
            while (b.hasRemaining()) {
                int r = spill.read(b, p);
                if (r < 0) {
                    throw new IOException("spill file ends at byte " + p);
                }
                p += r;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the reconstruction cache's spill file failed: " + e.getMessage(),
                    e);
        }
    }

    private static Shape prepend(long n, Shape row) {
        long[] s = new long[row.dimension() + 1];
        s[0] = n;
        System.arraycopy(row.getShape(), 0, s, 1, row.dimension());
        return new Shape(s);
    }

    /** Frees the memory rows and closes (so deletes) the spill file. */
    @Override
    public void close() {
        try {
            if (memory != null) {
                memory.close();
            }
        } finally {
            if (spill != null) {
                try {
                    spill.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
