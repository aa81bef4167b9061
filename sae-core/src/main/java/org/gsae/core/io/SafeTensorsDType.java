package org.gsae.core.io;

import java.util.Arrays;
import java.util.Optional;

/**
 * Element types of the safetensors format with a whole number of bytes per element. The
 * reader accepts all of them in a header (so every byte range can be checked for size and
 * overlap) but converts only {@link #F32} and {@link #F64} to Java arrays; the rest are
 * rejected by name when read. Sub-byte types of newer spec versions (F4, F6_*) and any other
 * string are unknown and make the whole header invalid.
 */
public enum SafeTensorsDType {
  BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), F8_E8M0(1),
  I16(2), U16(2), F16(2), BF16(2),
  I32(4), U32(4), F32(4),
  I64(8), U64(8), F64(8);

  private final int bytes;

  SafeTensorsDType(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** Whether gsae converts this type to {@code float[]}/{@code double[]}. */
  public boolean isReadable() {
    return this == F32 || this == F64;
  }

  /** The type spelled exactly as in a header ({@code "F32"}), if known. */
  public static Optional<SafeTensorsDType> parse(String name) {
    return Arrays.stream(values()).filter(d -> d.name().equals(name)).findFirst();
  }
}
