package org.gsae.core.error;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A failed future's cause comes back as thrown: unchecked as is, errors thrown, checked wrapped. */
class ErrorsUnwrapTest {
  private static CompletionException failedJoin(Throwable cause) {
    CompletableFuture<Void> f = CompletableFuture.failedFuture(cause);
    return assertThrows(CompletionException.class, f::join);
  }

  @Test
  void givenAnUncheckedCause_thenThatException() {
    GsaeException cause = Errors.usage("bad", "here", "fix it");
    assertSame(cause, Errors.unwrap(failedJoin(cause)));
  }

  @Test
  void givenAnError_thenItIsThrown() {
    OutOfMemoryError cause = new OutOfMemoryError("test");
    CompletionException e = failedJoin(cause);
    assertSame(cause, assertThrows(OutOfMemoryError.class, () -> Errors.unwrap(e)));
  }

  @Test
  void givenACheckedCause_thenTheWrapperStays() {
    CompletionException e = failedJoin(new IOException("disk"));
    assertSame(e, Errors.unwrap(e));
  }
}
