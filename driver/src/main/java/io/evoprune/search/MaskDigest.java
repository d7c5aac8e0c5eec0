package io.evoprune.search;

import io.evoprune.mask.Mask;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What the fitness cache knows a mask by: 128 bits of the SHA-256 of its length and bits. The cache only looks masks
 * up, so it need not hold them: a weight mask of LeNet-300-100 is 33 KB, its digest 16 bytes, and a long run's
 * cache (in the driver's heap and in every checkpoint) stays small. A collision among even a billion masks has a
 * chance below 10^-20.
 */
public record MaskDigest(long high, long low) {
    /** The digest of {@code mask}. */
    public static MaskDigest of(Mask mask) {
        long[] words = mask.words();
        ByteBuffer bytes = ByteBuffer.allocate(Integer.BYTES + Long.BYTES * words.length).putInt(mask.length());
        for (long w : words) {
            bytes.putLong(w);
        }
        ByteBuffer sha;
        try {
            sha = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM lacks SHA-256", e);
        }
        return new MaskDigest(sha.getLong(), sha.getLong());
    }

    /** Reads {@link #toString()}'s 32 hex digits; throws IllegalArgumentException naming the text otherwise. */
    public static MaskDigest parse(String hex) {
        if (hex.length() != 32 || !hex.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            throw new IllegalArgumentException("'" + (hex.length() <= 40 ? hex : hex.substring(0, 40) + "...")
                    + "' is not a mask digest (expected 32 hex digits)");
        }
        return new MaskDigest(HexFormat.fromHexDigitsToLong(hex, 0, 16), HexFormat.fromHexDigitsToLong(hex, 16, 32));
    }

    @Override
    public String toString() {
        return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
    }
}
