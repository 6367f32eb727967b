package genie.kernel;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl;

/**
 * Loads JShell's generated snippet classes in the kernel's own JVM. The parent loader is the kernel's
 * class loader, so user code sees the engine, magics and every library of the kernel class path, and jars added
 * later (%maven, %jars) are appended to this loader.
 */
final class GenieLoaderDelegate implements LoaderDelegate {

    private final Map<String, byte[]> declared = new ConcurrentHashMap<>();
    private final Map<String, Class<?>> loaded = new ConcurrentHashMap<>();
    private final List<String> added = new CopyOnWriteArrayList<>();
    private final SnippetClassLoader loader;

    GenieLoaderDelegate(ClassLoader parent) {
        this.loader = new SnippetClassLoader(parent);
    }

    ClassLoader classLoader() {
        return loader;
    }

    List<String> addedClasspath() {
        return added;
    }

    @Override
    public void load(ExecutionControl.ClassBytecodes[] cbcs) throws ExecutionControl.ClassInstallException {
        boolean[] installed = new boolean[cbcs.length];
        int i = 0;
        for (ExecutionControl.ClassBytecodes cbc : cbcs) {
            declared.put(cbc.name(), cbc.bytecodes());
            try {
                loaded.put(cbc.name(), loader.findClass(cbc.name()));
            } catch (ClassNotFoundException | LinkageError e) {
                throw new ExecutionControl.ClassInstallException(
                        "Unable to load class " + cbc.name() + ": " + e.getMessage(), installed);
            }
            installed[i++] = true;
        }
    }

    @Override
    public void classesRedefined(ExecutionControl.ClassBytecodes[] cbcs) {
        for (ExecutionControl.ClassBytecodes cbc : cbcs) {
            declared.put(cbc.name(), cbc.bytecodes());
        }
    }

    @Override
    public void addToClasspath(String path) throws ExecutionControl.InternalException {
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (entry.isBlank()) continue;
            try {
                loader.addURL(Path.of(entry).toAbsolutePath().toUri().toURL());
                added.add(entry);
            } catch (MalformedURLException e) {
                throw new ExecutionControl.InternalException("Bad class path entry " + entry + ": " + e.getMessage());
            }
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> c = loaded.get(name);
        if (c == null && declared.containsKey(name)) {
            c = loader.loadClass(name);
        }
        if (c == null) throw new ClassNotFoundException(name + " not found");
        return c;
    }

    private final class SnippetClassLoader extends URLClassLoader {
        static {
            ClassLoader.registerAsParallelCapable();
        }

        SnippetClassLoader(ClassLoader parent) {
            super("genie-jshell", new URL[0], parent);
        }

        @Override
        protected void addURL(URL url) {
            super.addURL(url);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = declared.get(name);
            if (bytes == null) return super.findClass(name);
            try {
                return defineClass(name, bytes, 0, bytes.length, (CodeSource) null);
            } catch (LinkageError e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }
}
