package org.gsae.tests.cluster;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Marks a test class or method that starts a real standalone cluster (several JVMs, tens of
 * seconds): JUnit tag {@code cluster} (select or exclude with Surefire's {@code -Dgroups} /
 * {@code -DexcludedGroups}), and skipped when {@code -Dgsae.cluster.skip=true}. They run by
 * default, in {@code mvn verify}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("cluster")
@DisabledIfSystemProperty(named = "gsae.cluster.skip", matches = "true",
    disabledReason = "cluster tests skipped by -Dgsae.cluster.skip=true")
public @interface ClusterTest {}
