package io.evoprune.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;

/**
 * Image folders in DataVec's layout ({@code ImageRecordReader} with {@code ParentPathLabelGenerator}): each image's
 * class is the name of the folder that holds it, classes are numbered in sorted name order, and images are
 * scaled to a fixed height x width and stored channels-first as {@code [channels, height, width]}.
 *
 * <p>Decoding uses the JDK's {@link ImageIO} (PNG, JPEG, BMP, GIF) instead of DataVec's OpenCV-based
 * {@code NativeImageLoader}: datavec-data-image pulls javacv, OpenCV, FFmpeg and Leptonica natives for every
 * platform (140 artifacts, ~600 MB), which would dwarf the application jar. Values are scaled to [0, 1] like
 * IDX pixels; colour channels are in RGB order (DataVec's loader gives BGR).
 */
public final class ImageFolderDataset {
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private ImageFolderDataset() {
    }

    /** The class names of a folder: the names of the folders that hold images, sorted. */
    public static List<String> classNames(String location, String key, Configuration hadoop) throws IOException {
        Set<String> names = new TreeSet<>();
        for (FileStatus f : images(location, key, hadoop)) {
            names.add(f.getPath().getParent().getName());
        }
        return new ArrayList<>(names);
    }

    /** Reads every image below {@code location}; {@code classes} maps folder names to class indices. */
    public static ArrayDataset load(String location, String key, List<String> classes, DataSource.Images spec,
                                    Configuration hadoop) throws IOException {
        List<FileStatus> files = images(location, key, hadoop);
        int size = spec.channels() * spec.height() * spec.width();
        float[] features = new float[files.size() * size];
        int[] labels = new int[files.size()];
        for (int i = 0; i < files.size(); i++) {
            FileStatus file = files.get(i);
            String className = file.getPath().getParent().getName();
            labels[i] = classes.indexOf(className);
            if (labels[i] < 0) {
                throw new IOException("Image " + DataFiles.shown(file.getPath()) + " is in folder '" + className
                        + "', which is not a class of the training data " + classes + " (key " + key + ")");
            }
            BufferedImage image;
            String corrupt = "Image " + DataFiles.shown(file.getPath()) + " is corrupt or not in a readable format (PNG, JPEG, BMP, GIF)";
            try (InputStream in = DataFiles.withoutChecksums(file.getPath().getFileSystem(hadoop)).open(file.getPath())) {
                image = ImageIO.read(in);
            } catch (IIOException e) {
                // a known format that fails to decode (a truncated PNG): ImageIO throws instead of returning null
                throw new IOException(corrupt + ": " + e.getMessage(), e);
            }
            if (image == null) {
                throw new IOException(corrupt);
            }
            pixels(scaled(image, spec), spec.channels(), features, i * size);
        }
        return ArrayDataset.classification(features, new int[] {spec.channels(), spec.height(), spec.width()}, labels,
                classes.size());
    }

    private static List<FileStatus> images(String location, String key, Configuration hadoop) throws IOException {
        List<FileStatus> images = new ArrayList<>();
        for (FileStatus f : DataFiles.files(location, key, hadoop)) {
            String name = f.getPath().getName();
            int dot = name.lastIndexOf('.');
            if (dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
                images.add(f);
            }
        }
        if (images.isEmpty()) {
            throw new IOException("Image folder " + location + " holds no .png, .jpg, .jpeg, .bmp or .gif files (key " + key
                    + "); expected one sub-folder per class");
        }
        return images;
    }

    private static BufferedImage scaled(BufferedImage image, DataSource.Images spec) {
        BufferedImage out = new BufferedImage(spec.width(), spec.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, spec.width(), spec.height(), null);
        g.dispose();
        return out;
    }

    /** Channels-first values in [0, 1]; grey is the ITU-R BT.601 luma of the RGB pixel. */
    private static void pixels(BufferedImage image, int channels, float[] out, int offset) {
        int h = image.getHeight();
        int w = image.getWidth();
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                float r = ((rgb >> 16) & 0xff) / 255f;
                float gr = ((rgb >> 8) & 0xff) / 255f;
                float b = (rgb & 0xff) / 255f;
                int p = y * w + x;
                if (channels == 1) {
                    out[offset + p] = 0.299f * r + 0.587f * gr + 0.114f * b;
                } else {
                    out[offset + p] = r;
                    out[offset + plane + p] = gr;
                    out[offset + 2 * plane + p] = b;
                }
            }
        }
    }
}
