package org.gsae.spark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.gsae.core.error.GsaeException;
import org.junit.jupiter.api.Test;

class ImageTilesTest {

  private static BufferedImage decode(String uri) throws IOException {
    assertTrue(uri.startsWith("data:image/png;base64,"), uri);
    return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
        uri.substring("data:image/png;base64,".length()))));
  }

  @Test
  void decoderRowIsRedPositiveBlueNegativeWhiteZeroScaledByItsLargestMagnitude() throws IOException {
    // A 2x3 image at offset 1 of a longer array: row-major pixels.
    float[] w = {99f, 2f, -2f, 0f, 1f, -1f, 0.5f};
    BufferedImage img = decode(ImageTiles.decoderTile(w, 1, new ImageTiles.Shape(2, 3)));
    assertEquals(3, img.getWidth());
    assertEquals(2, img.getHeight());
    assertEquals(0xFF0000, img.getRGB(0, 0) & 0xFFFFFF, "+max: full red");
    assertEquals(0x0000FF, img.getRGB(1, 0) & 0xFFFFFF, "-max: full blue");
    assertEquals(0xFFFFFF, img.getRGB(2, 0) & 0xFFFFFF, "zero: white");
    assertEquals(0xFF8080, img.getRGB(0, 1) & 0xFFFFFF, "+half: 255 - round(127.5) = 128 green and blue");
    assertEquals(0x8080FF, img.getRGB(1, 1) & 0xFFFFFF, "-half");
  }

  @Test
  void inputRowIsGreyFromItsMinimumToItsMaximum() throws IOException {
    BufferedImage img = decode(ImageTiles.inputTile(new float[] {-1f, 1f, 0f, 1f}, new ImageTiles.Shape(2, 2)));
    assertEquals(0x000000, img.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0xFFFFFF, img.getRGB(1, 0) & 0xFFFFFF);
    assertEquals(0x808080, img.getRGB(0, 1) & 0xFFFFFF);
  }

  @Test
  void shapesParseAndKnownWidthsAreRecognised() {
    assertEquals(new ImageTiles.Shape(28, 28), ImageTiles.Shape.parse("28x28"));
    assertEquals(new ImageTiles.Shape(4, 6), ImageTiles.Shape.parse(" 4X6 "));
    assertEquals(new ImageTiles.Shape(28, 28), ImageTiles.Shape.known(784));
    assertEquals(new ImageTiles.Shape(32, 32), ImageTiles.Shape.known(1024));
    assertNull(ImageTiles.Shape.known(768));
    GsaeException e = assertThrows(GsaeException.class, () -> ImageTiles.Shape.parse("28"));
    assertTrue(e.getMessage().contains("HEIGHTxWIDTH"), e.getMessage());
    assertThrows(GsaeException.class, () -> ImageTiles.Shape.parse("axb"));
    assertThrows(GsaeException.class, () -> ImageTiles.Shape.parse("0x5"));
    assertThrows(IllegalArgumentException.class, () -> new ImageTiles.Shape(0, 5));
  }
}
