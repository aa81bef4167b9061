package org.gsae.tests.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.gsae.tests.cluster.probe.ClusterProbeMain;

/**
 * Builds the jar of {@link ClusterProbeMain} (its package only) from the compiled test
 * classes, for submitting with {@link SparkSubmitRunner#withAppJar}.
 */
public final class ProbeJar {

  private static final String TEST_CLASSES_PROPERTY = "gsae.test.classes";

  private ProbeJar() {}

  /** The probe's main class name, for {@link SparkSubmitRunner#withMainClass}. */
  public static String mainClass() {
    return ClusterProbeMain.class.getName();
  }

  /**
   * Writes {@code target/cluster-probe.jar} (next to {@code target/test-classes}) and returns
   * its path.
   */
  public static synchronized Path build() {
    String classes = System.getProperty(TEST_CLASSES_PROPERTY);
    if (classes == null || classes.isBlank()) {
      throw new IllegalStateException("System property " + TEST_CLASSES_PROPERTY
          + " is not set; the tests module's Surefire configuration sets it");
    }
    Path root = Path.of(classes);
    Path jar = root.getParent().resolve("cluster-probe.jar");
    String pkg = ClusterProbeMain.class.getPackageName().replace('.', '/');
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass());
    try (Stream<Path> files = Files.walk(root.resolve(pkg));
         OutputStream out = Files.newOutputStream(jar);
         JarOutputStream jos = new JarOutputStream(out, manifest)) {
      List<Path> classFiles = files.filter(Files::isRegularFile).sorted().toList();
      for (Path file : classFiles) {
        jos.putNextEntry(new JarEntry(root.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, jos);
        jos.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot build the probe jar " + jar + " from " + root, e);
    }
    return jar;
  }
}
