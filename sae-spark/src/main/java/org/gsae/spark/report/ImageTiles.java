package org.gsae.spark.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.gsae.core.error.Errors;

/**
 * Vectors drawn as small PNG images for the galleries of image data: a decoder row with a
 * diverging scale (white at 0, red positive, blue negative, full colour at the row's largest
 * magnitude, as decoder directions are usually shown) and an input row in grey levels from its
 * smallest (black) to its largest (white) value. Pixels are row-major {@code [height, width]},
 * the layout of flattened MNIST-style images.
 */
public final class ImageTiles {
  private ImageTiles() {}

  /**
   * Image shape of a row of {@code dIn} values.
   *
   * @param height rows of pixels
   * @param width  pixels per row
   */
  public record Shape(int height, int width) {
    public Shape {
      Errors.check(height >= 1 && width >= 1, "an image shape needs height and width >= 1, got %dx%d",
          height, width);
    }

    /** Parses {@code HxW} (for example {@code 28x28}). */
    public static Shape parse(String text) {
      String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("x");
      if (parts.length == 2) {
        try {
          int h = Integer.parseInt(parts[0].trim());
          int w = Integer.parseInt(parts[1].trim());
          if (h >= 1 && w >= 1) {
            return new Shape(h, w);
          }
        } catch (NumberFormatException e) {
          // fall through to the error below
        }
      }
      throw Errors.usage("--image-shape must be HEIGHTxWIDTH with both at least 1, got '" + text
          + "'", "--image-shape", "write it as 28x28");
    }

    /** The shape for a known image width: 784 = 28x28 (MNIST, Fashion-MNIST), 1024 = 32x32. */
    public static Shape known(int dIn) {
      return switch (dIn) {
        case 784 -> new Shape(28, 28);
        case 1024 -> new Shape(32, 32);
        default -> null;
      };
    }

    /** Pixels in one image. */
    public int pixels() {
      return height * width;
    }

    @Override
    public String toString() {
      return height + "x" + width;
    }
  }

  /** A decoder row [h w] as a diverging-colour PNG data URI. */
  public static String decoderTile(float[] row, int offset, Shape shape) {
    float max = 0;
    for (int i = 0; i < shape.pixels(); i++) {
      max = Math.max(max, Math.abs(row[offset + i]));
    }
    BufferedImage img = new BufferedImage(shape.width(), shape.height(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < shape.height(); y++) {
      for (int x = 0; x < shape.width(); x++) {
        float v = max > 0 ? row[offset + y * shape.width() + x] / max : 0;
        int fade = Math.round(255 * (1 - Math.abs(v)));
        int rgb = v >= 0 ? (255 << 16) | (fade << 8) | fade : (fade << 16) | (fade << 8) | 255;
        img.setRGB(x, y, rgb);
      }
    }
    return dataUri(img);
  }

  /** An input row [h w] as a grey-level PNG data URI (min black, max white). */
  public static String inputTile(float[] row, Shape shape) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < shape.pixels(); i++) {
      min = Math.min(min, row[i]);
      max = Math.max(max, row[i]);
    }
    BufferedImage img = new BufferedImage(shape.width(), shape.height(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < shape.height(); y++) {
      for (int x = 0; x < shape.width(); x++) {
        float v = max > min ? (row[y * shape.width() + x] - min) / (max - min) : 0;
        int g = Math.round(255 * v);
        img.setRGB(x, y, (g << 16) | (g << 8) | g);
      }
    }
    return dataUri(img);
  }

  private static String dataUri(BufferedImage img) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, "png", bytes)) {
        throw new IllegalStateException("no PNG writer in this JVM");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}
