package io.evoprune.mask;

import io.evoprune.model.Network;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keeps every layer of every mask at or above its minimum kept count ({@link MaskSettings#minKept}), so that no
 * layer is ever emptied by accident. A mask below the minimum in some layer is repaired, not rejected: the
 * layer's pruned units are re-enabled in order of their importance in the base network (L1 norm of the unit's
 * own weights and bias; |w| for single weights), ties to the lower index, until the minimum is met.
 * The repair is a pure function of the mask and the base network, so runs stay reproducible from their seed.
 */
public final class MaskRepair implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<PrunableLayout.Segment> segments;
    private final int[] minKept;
    /** Per segment, its units from most to least important. */
    private final int[][] order;

    private MaskRepair(List<PrunableLayout.Segment> segments, int[] minKept, int[][] order) {
        this.segments = segments;
        this.minKept = minKept;
        this.order = order;
    }

    /** The repair for masks over {@code layout}, ranking units by their importance in {@code base}. */
    public static MaskRepair of(PrunableLayout layout, MaskSettings settings, Network base) {
        List<PrunableLayout.Segment> segments = layout.segments();
        int[] min = new int[segments.size()];
        int[][] order = new int[segments.size()][];
        float[] params = base.params().castTo(DataType.FLOAT).toFloatVector();
        for (int i = 0; i < segments.size(); i++) {
            PrunableLayout.Segment s = segments.get(i);
            min[i] = settings.minKept(s.units());
            order[i] = ranking(importance(base, params, layout.granularity(), s));
        }
        return new MaskRepair(segments, min, order);
    }

    /** Each unit's importance: the L1 norm of its own parameters in the producers. */
    static float[] importance(Network base, float[] params, Granularity granularity, PrunableLayout.Segment s) {
        float[] importance = new float[s.units()];
        if (granularity == Granularity.WEIGHT) {
            ParamView w = ParamView.of(base, s.producers().get(0), "W");
            for (int u = 0; u < s.units(); u++) {
                importance[u] = Math.abs(params[(int) (w.start() + u)]);
            }
            return importance;
        }
        for (String producer : s.producers()) {
            ParamView w = ParamView.of(base, producer, "W");
            ParamView b = ParamView.of(base, producer, "b");
            for (int u = 0; u < s.units(); u++) {
                double[] sum = {b == null ? 0 : Math.abs(params[(int) b.element(u)])};
                w.forEach(w.unitDimension(), u, p -> sum[0] += Math.abs(params[(int) p]));
                importance[u] += (float) sum[0];
            }
        }
        return importance;
    }

    /** Indices by descending importance, ties by ascending index; primitive sort, no boxing. */
    static int[] ranking(float[] importance) {
        long[] keys = new long[importance.length];
        for (int u = 0; u < importance.length; u++) {
            // Non-negative floats order like their bit patterns; invert them for descending order.
            int bits = Float.floatToIntBits(Float.isNaN(importance[u]) ? 0f : importance[u]);
            keys[u] = ((long) (Integer.MAX_VALUE - bits) << 32) | u;
        }
        Arrays.sort(keys);
        int[] order = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    /** Whether every layer of {@code mask} keeps at least its minimum. */
    public boolean satisfied(Mask mask) {
        for (int i = 0; i < segments.size(); i++) {
            PrunableLayout.Segment s = segments.get(i);
            if (mask.keptCount(s.offset(), s.offset() + s.units()) < minKept[i]) {
                return false;
            }
        }
        return true;
    }

    /** {@code mask} itself when it is {@link #satisfied}, else the mask with the most important units re-enabled. */
    public Mask repair(Mask mask) {
        if (satisfied(mask)) {
            return mask;
        }
        long[] words = mask.words();
        for (int i = 0; i < segments.size(); i++) {
            PrunableLayout.Segment s = segments.get(i);
            int kept = mask.keptCount(s.offset(), s.offset() + s.units());
            for (int k = 0; kept < minKept[i] && k < order[i].length; k++) {
                int bit = s.offset() + order[i][k];
                if ((words[bit >>> 6] & (1L << bit)) == 0) {
                    words[bit >>> 6] |= 1L << bit;
                    kept++;
                }
            }
        }
        return Mask.ofWords(words, mask.length());
    }
}
