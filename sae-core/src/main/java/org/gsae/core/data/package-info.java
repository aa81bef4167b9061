/** In-memory activation data and the synthetic ground-truth generator used by tests and the demo. */
package org.gsae.core.data;
