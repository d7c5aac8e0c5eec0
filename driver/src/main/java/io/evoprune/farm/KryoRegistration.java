package io.evoprune.farm;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.evaluation.Workload;
import io.evoprune.mask.Mask;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Every class of ours that crosses the wire. Spark runs with {@code spark.kryo.registrationRequired=true},
 * so anything missing here fails loudly instead of shipping class names with every record.
 */
public final class KryoRegistration implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(Mask.class);
        kryo.register(Candidate.class, new RecordSerializer<>(Candidate.class));
        kryo.register(Candidate[].class);
        kryo.register(EvaluationResult.class, new RecordSerializer<>(EvaluationResult.class));
        kryo.register(EvaluationResult[].class);
        // Sent once per run as a broadcast; Java serialisation keeps its lazily built executor state out.
        kryo.register(Workload.class, new JavaSerializer());
    }
}
