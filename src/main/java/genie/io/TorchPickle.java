package genie.io;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Unpickler;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Python objects a {@code torch.save} pickle names, as plain Java values for razorvine's unpickler: storages
 * (by element type and archive key), tensors (a view of a storage: offset, size, stride) and ordered dicts. Anything
 * else (a module class, an optimiser) stays a razorvine {@code ClassDict} and is refused by the reader.
 */
final class TorchPickle {
    private TorchPickle() {}

    /** A storage class such as {@code torch.FloatStorage}; {@code dtype} is null for the unsupported ones. */
    record StorageType(String name, Dtype dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new IllegalStateException("torch." + name + " is not constructed by a state_dict pickle");
        }
    }

    /** One storage of the archive: its bytes are {@code <prefix>data/<key>}. */
    record StorageRef(StorageType type, String key, long numel) {}

    /** {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)}. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    /** {@code collections.OrderedDict}; its pickled attributes (a state_dict's {@code _metadata}) are not needed. */
    static final class OrderedDict extends LinkedHashMap<Object, Object> {
        public void __setstate__(HashMap<String, Object> state) {
            // _metadata holds module versions only
        }
    }

    private static final Map<String, Dtype> STORAGES = Map.ofEntries(Map.entry("FloatStorage", Dtype.F32),
            Map.entry("HalfStorage", Dtype.F16), Map.entry("BFloat16Storage", Dtype.BF16),
            Map.entry("DoubleStorage", Dtype.F64), Map.entry("LongStorage", Dtype.I64),
            Map.entry("IntStorage", Dtype.I32), Map.entry("ShortStorage", Dtype.I16),
            Map.entry("CharStorage", Dtype.I8), Map.entry("ByteStorage", Dtype.U8), Map.entry("BoolStorage", Dtype.BOOL));

    static {
        // razorvine keeps one registry per process; these constructors hold no state, so registering them once is safe.
        STORAGES.forEach((name, dtype) -> Unpickler.registerConstructor("torch", name, new StorageType(name, dtype)));
        for (String other : new String[] {"ComplexFloatStorage", "ComplexDoubleStorage", "QInt8Storage",
            "QUInt8Storage", "QInt32Storage", "QUInt4x2Storage"}) {
            Unpickler.registerConstructor("torch", other, new StorageType(other, null));
        }
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", args -> new TensorRef((StorageRef) args[0],
                number(args[1]), longs((Object[]) args[2]), longs((Object[]) args[3])));
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
        Unpickler.registerConstructor("collections", "OrderedDict", args -> new OrderedDict());
    }

    /** An unpickler that resolves {@code ('storage', type, key, location, numel)} persistent ids. */
    static Unpickler unpickler() {
        return new Unpickler() {
            @Override
            protected Object persistentLoad(Object pid) {
                Object[] t = (Object[]) pid;
                if (t.length < 5 || !"storage".equals(t[0]) || !(t[1] instanceof StorageType type)) {
                    throw new IllegalArgumentException("unknown persistent id in the pickle");
                }
                return new StorageRef(type, String.valueOf(t[2]), number(t[4]));
            }
        };
    }

    private static long number(Object o) {
        return ((Number) o).longValue();
    }

    private static long[] longs(Object[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = number(a[i]);
        }
        return out;
    }
}
