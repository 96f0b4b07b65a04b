package rift.model;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import rift.kernels.Backend;

/**
 * A backend that forwards every op to another one but runs the fused ops (Backend.addRmsNorm, rmsNormRope,
 * the keys-and-values kvWrite) as Backend's default compositions of the plain ops: the reference a fused
 * kernel must equal bit for bit, on the same device.
 */
final class UnfusedBackend {
    private static final Set<String> FUSED = Set.of("addRmsNorm", "rmsNormRope", "kvWrite");

    private UnfusedBackend() {}

    static Backend of(Backend delegate) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.isDefault() && FUSED.contains(method.getName())) return InvocationHandler.invokeDefault(proxy, method, args);
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, h);
    }
}
