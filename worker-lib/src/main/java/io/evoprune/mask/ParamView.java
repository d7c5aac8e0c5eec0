package io.evoprune.mask;

import io.evoprune.model.Network;
import java.util.function.LongConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where one parameter array of a layer lies in the network's flat parameter vector. DL4J's parameter arrays are
 * contiguous views of that vector, so an element's flat position follows from the view's offset and strides;
 * working with positions avoids ND4J's view indexing of 4-D arrays, which misbehaves at some indices in M2.1.
 *
 * @param start the view's first element in the flat vector
 */
public record ParamView(long start, long[] shape, long[] stride) {

    /** The view of {@code key} in {@code layer}, or null when the layer has no such parameter. */
    public static ParamView of(Network net, String layer, String key) {
        INDArray p = net.param(layer, key);
        return p == null ? null : new ParamView(p.offset() - net.params().offset(), p.shape(), p.stride());
    }

    public long length() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** Calls {@code flat} with the flat position of every element whose index along {@code dim} is {@code index}. */
    public void forEach(int dim, long index, LongConsumer flat) {
        long rest = length() / shape[dim];
        for (long k = 0; k < rest; k++) {
            long position = start + index * stride[dim];
            long r = k;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (d != dim) {
                    position += (r % shape[d]) * stride[d];
                    r /= shape[d];
                }
            }
            flat.accept(position);
        }
    }

    /** The flat position of element {@code index} of a vector stored as [n] or [1, n]. */
    public long element(long index) {
        int dim = shape.length == 1 ? 0 : shape[0] == 1 ? 1 : 0;
        return start + index * stride[dim];
    }

    /** The dimension of a weight array ({@code W}) that indexes a producer's output units. */
    public int unitDimension() {
        // Dense W is [nIn, nOut]: unit u is column u; a convolution's W is [nOut, nIn, kH, kW]: slice u.
        return shape.length == 2 ? 1 : 0;
    }
}
